#!/usr/bin/env python3
"""Conformance of the doc comments in `opp-idl dump` with Apache Thrift's `thrift --gen json`,
above all the program-level `doc`, whose rule in Thrift hangs on LALR lookahead timing.

Two sets of files, each compared with the reference compiler run at test time (whole
JSON outputs, so every struct/field/function/enum value doc is compared too):

  * the hand-written arrangements of DATA_DIR (tests/data/idl/program_doc). Each starts
    with "# expect program doc: <first line of the doc>" or "...: none", which the
    reference's output must also match, so a file cannot silently stop testing what it
    was written for;
  * arrangements generated from a fixed seed: random headers, definitions, separators and
    annotations with doc comments (some blank, some multi-line, some sharing a line)
    dropped between tokens.

usage: idl_program_doc.py OPP_IDL THRIFT DATA_DIR [GENERATED_COUNT]
"""
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from idl_thrift_json import LenientJson, canonical_keys, first_difference  # noqa: E402

EXPECT = re.compile(r"^# expect program doc: (.*)$", re.MULTILINE)
HELPER = "shared_helper.thrift"  # included by some arrangements, hand-written and generated
SEED = 20240917
DEFAULT_GENERATED = 300


def compare(opp_idl, thrift, path, out_dir):
    """(reference JSON or None, failure message or None) for one file."""
    ref_dir = os.path.join(out_dir, os.path.basename(path) + ".ref")
    os.makedirs(ref_dir)
    ref = subprocess.run([thrift, "--gen", "json", "-out", ref_dir, path],
                         capture_output=True, text=True)
    if ref.returncode != 0:
        return None, "the reference rejects it:\n" + ref.stderr + ref.stdout
    ours = subprocess.run([opp_idl, "dump", path], capture_output=True, text=True)
    if ours.returncode != 0:
        return None, "opp-idl dump failed:\n" + ours.stderr
    name = os.path.splitext(os.path.basename(path))[0] + ".json"
    with open(os.path.join(ref_dir, name)) as f:
        expected = canonical_keys(LenientJson(f.read()).parse())
    actual = canonical_keys(json.loads(ours.stdout))
    diff = first_difference(expected, actual)
    return expected, diff


def program_doc_head(program):
    doc = program.get("doc")
    return "none" if doc is None else doc.split("\n")[0]


class Arrangement:
    """Builds one random IDL file as tokens, then spells it with doc comments between them."""

    def __init__(self, rng):
        self.rng = rng
        self.toks = []
        self.n = 0

    def t(self, *tokens):
        self.toks.extend(tokens)

    def maybe(self, p):
        return self.rng.random() < p

    def annotations(self):
        if self.maybe(0.3):
            self.t("(", "k", "=", '"v"', ")")

    def separator(self):
        if self.maybe(0.5):
            self.t(self.rng.choice([",", ";"]))

    def headers(self):
        for _ in range(self.rng.choice([0, 0, 1, 2, 3])):
            kind = self.rng.choice(["namespace", "namespace", "star", "include", "cpp_include"])
            if kind == "namespace":
                self.t("namespace", self.rng.choice(["cpp", "java", "py"]), "a.b")
                self.annotations()
            elif kind == "star":
                self.t("namespace", "*", "a.b")
            elif kind == "include":
                self.t("include", '"%s"' % HELPER)
            else:
                self.t("cpp_include", '"<string>"')

    def fields(self, closing, kind):
        for i in range(self.rng.choice([0, 1, 2, 3])):
            self.t(str(i + 1), ":")
            if kind in ("struct", "exception") and self.maybe(0.3):
                self.t(self.rng.choice(["required", "optional"]))
            field_type = self.rng.choice(["i32", "string", "list<i32>"])
            self.t(field_type, "f%d" % i)
            # A union may have one default only; the reference rejects more.
            if field_type == "i32" and kind != "union" and kind != "args" and self.maybe(0.2):
                self.t("=", "7")
            self.annotations()
            self.separator()
        self.t(closing)

    def definition(self):
        self.n += 1
        kind = self.rng.choice(
            ["typedef", "const", "enum", "struct", "union", "exception", "service"])
        if kind == "typedef":
            self.t("typedef", "i32", "T%d" % self.n)
            self.annotations()
            self.separator()
        elif kind == "const":
            if self.maybe(0.5):
                self.t("const", "i32", "C%d" % self.n, "=", "3")
            else:
                self.t("const", "list<i32>", "C%d" % self.n, "=", "[", "1", ",", "2", "]")
            self.separator()
        elif kind == "enum":
            self.t("enum", "E%d" % self.n, "{")
            for i in range(self.rng.choice([0, 1, 2, 3])):
                self.t("V%d" % i)
                if self.maybe(0.5):
                    self.t("=", str(i + 10))
                self.annotations()
                self.separator()
            self.t("}")
            self.annotations()
        elif kind == "service":
            self.t("service", "V%d" % self.n, "{")
            for i in range(self.rng.choice([0, 1, 2])):
                if self.maybe(0.2):
                    self.t("oneway", "void")
                else:
                    self.t(self.rng.choice(["void", "i32"]))
                self.t("m%d" % i, "(")
                self.fields(")", "args")
                self.annotations()
                self.separator()
            self.t("}")
            self.annotations()
        else:
            self.t(kind, "S%d" % self.n, "{")
            self.fields("}", kind)
            self.annotations()

    def spell(self):
        out = []
        docs = 0
        for i in range(len(self.toks) + 1):
            if self.maybe(0.25):
                for _ in range(self.rng.choice([1, 1, 1, 2])):
                    docs += 1
                    # The reference crashes on a blank first doc comment; later ones are fine.
                    if docs > 1 and self.maybe(0.1):
                        out.append("/** */")
                    elif self.maybe(0.2):
                        out.append("/**\n * d%d\n */" % docs)
                    else:
                        out.append("/** d%d */" % docs)
                    out.append(self.rng.choice([" ", "\n"]))
            if i < len(self.toks):
                out.append(self.toks[i])
                out.append(self.rng.choice([" ", " ", "\n"]))
        return "".join(out) + "\n"


def generate(count, directory):
    paths = []
    for i in range(count):
        a = Arrangement(random.Random(SEED * 100003 + i))
        a.headers()
        for _ in range(a.rng.choice([0, 1, 2, 3, 4])):
            a.definition()
        path = os.path.join(directory, "generated_%04d.thrift" % i)
        with open(path, "w") as f:
            f.write(a.spell())
        paths.append(path)
    return paths


def main():
    opp_idl, thrift, data_dir = sys.argv[1:4]
    generated_count = int(sys.argv[4]) if len(sys.argv) > 4 else DEFAULT_GENERATED
    failures = 0
    outcomes = {"hand-written": [0, 0], "generated": [0, 0]}  # [with doc, without]
    with tempfile.TemporaryDirectory() as out:
        written = sorted(os.path.join(data_dir, f) for f in os.listdir(data_dir)
                         if f.endswith(".thrift"))
        for path in written:
            rel = os.path.basename(path)
            with open(path) as f:
                m = EXPECT.search(f.read())
            if not m:
                print("FAIL %s: no '# expect program doc:' line" % rel)
                failures += 1
                continue
            expected, diff = compare(opp_idl, thrift, path, out)
            if expected is not None and program_doc_head(expected) != m.group(1):
                diff = "the reference gives program doc %r, the file expects %r" % (
                    program_doc_head(expected), m.group(1))
            if diff:
                print("FAIL %s: %s" % (rel, diff))
                failures += 1
                continue
            outcomes["hand-written"][0 if "doc" in expected else 1] += 1
            print("ok   %s (program doc: %s)" % (rel, program_doc_head(expected)))

        gen_dir = os.path.join(out, "generated")
        os.makedirs(gen_dir)
        shutil.copy(os.path.join(data_dir, HELPER), gen_dir)
        generated_failures = 0
        for path in generate(generated_count, gen_dir):
            expected, diff = compare(opp_idl, thrift, path, out)
            if diff:
                with open(path) as f:
                    text = f.read()
                print("FAIL %s: %s\n--- the file:\n%s---" % (os.path.basename(path), diff, text))
                generated_failures += 1
                continue
            outcomes["generated"][0 if "doc" in expected else 1] += 1
        failures += generated_failures
        print("%d generated arrangements (seed %d), %d failures" %
              (generated_count, SEED, generated_failures))

    for name, (with_doc, without) in outcomes.items():
        print("%s: %d with a program doc, %d without" % (name, with_doc, without))
        # Both outcomes must be exercised, or the comparison proves little.
        total = with_doc + without
        if total and min(with_doc, without) < max(1, total // 10):
            print("FAIL %s: too few files of one outcome" % name)
            failures += 1
    if not written:
        print("FAIL: no .thrift files in %s" % data_dir)
        failures += 1
    print("%d failures" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
