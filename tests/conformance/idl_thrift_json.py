#!/usr/bin/env python3
"""Conformance of `opp-idl dump` with Apache Thrift's `thrift --gen json`.

For every .thrift file of the corpus the reference compiler accepts, both outputs are
parsed and compared as JSON values (key order free). For the files the reference
rejects, the expectations of idl-corpus/README.md are asserted. The reference is run
at test time, so a different thrift-compiler version is noticed.

usage: idl_thrift_json.py OPP_IDL THRIFT CORPUS_DIR
"""
import json
import os
import subprocess
import sys
import tempfile


class LenientJson:
    """A JSON parser that also accepts Thrift's non-string object keys (the reference
    writes list- and map-valued const map keys raw); such a key becomes its compact
    JSON text, which is what opp-idl writes as the key."""

    def __init__(self, text):
        self.s = text
        self.i = 0

    def parse(self):
        v = self.value()
        self.ws()
        if self.i != len(self.s):
            raise ValueError("trailing data at %d" % self.i)
        return v

    def ws(self):
        while self.i < len(self.s) and self.s[self.i] in " \t\r\n":
            self.i += 1

    def value(self):
        self.ws()
        c = self.s[self.i]
        if c == "{":
            self.i += 1
            out = {}
            self.ws()
            if self.s[self.i] == "}":
                self.i += 1
                return out
            while True:
                k = self.value()
                if not isinstance(k, str):
                    k = json.dumps(k, separators=(",", ":"))
                self.ws()
                assert self.s[self.i] == ":", self.i
                self.i += 1
                out[k] = self.value()
                self.ws()
                if self.s[self.i] == ",":
                    self.i += 1
                    continue
                assert self.s[self.i] == "}", self.i
                self.i += 1
                return out
        if c == "[":
            self.i += 1
            out = []
            self.ws()
            if self.s[self.i] == "]":
                self.i += 1
                return out
            while True:
                out.append(self.value())
                self.ws()
                if self.s[self.i] == ",":
                    self.i += 1
                    continue
                assert self.s[self.i] == "]", self.i
                self.i += 1
                return out
        v, end = json.JSONDecoder().raw_decode(self.s, self.i)
        self.i = end
        return v


def canonical_keys(v):
    """Keys that are JSON text of lists/maps are normalised to one spelling."""
    if isinstance(v, dict):
        out = {}
        for k, item in v.items():
            if k[:1] in "[{":
                try:
                    k = json.dumps(json.loads(k), separators=(",", ":"))
                except ValueError:
                    pass
            out[k] = canonical_keys(item)
        return out
    if isinstance(v, list):
        return [canonical_keys(x) for x in v]
    return v


def first_difference(a, b, path="$"):
    if type(a) != type(b) and not (isinstance(a, (int, float)) and isinstance(b, (int, float))):
        return "%s: %r != %r" % (path, a, b)
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return "%s.%s: only in %s" % (path, k, "reference" if k in a else "opp-idl")
            d = first_difference(a[k], b[k], path + "." + k)
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return "%s: %d items != %d items" % (path, len(a), len(b))
        for n, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, "%s[%d]" % (path, n))
            if d:
                return d
        return None
    return None if a == b else "%s: %r != %r" % (path, a, b)


# What idl-corpus/README.md expects for the files the 0.17 reference rejects.
REJECTED_BY_REFERENCE = {
    "BrokenConstants.thrift": ("reject", "BrokenConstants.thrift:21:"),
    "ConstantsDemo.thrift": ("accept", None),
    "DebugProtoTest.thrift": ("accept", None),
    "FuzzTest.thrift": ("accept", None),
    "NameConflictTest.thrift": ("accept", None),
    "ThriftTest.thrift": ("accept", None),
    os.path.join("v0.16", "NameConflictTest.thrift"): ("accept", None),
}


def main():
    opp_idl, thrift, corpus = sys.argv[1:4]
    files = []
    for sub in ("", "v0.16"):
        d = os.path.join(corpus, sub)
        files += sorted(os.path.join(sub, f) for f in os.listdir(d) if f.endswith(".thrift"))
    compared = failures = 0
    with tempfile.TemporaryDirectory() as out:
        for rel in files:
            path = os.path.join(corpus, rel)
            ref_dir = os.path.join(out, rel.replace(os.sep, "_"))
            os.makedirs(ref_dir)
            ref = subprocess.run([thrift, "--gen", "json", "-I", corpus, "-out", ref_dir, path],
                                 capture_output=True, text=True)
            ours = subprocess.run([opp_idl, "dump", path, "-I", corpus],
                                  capture_output=True, text=True)
            if ref.returncode != 0:
                expectation = REJECTED_BY_REFERENCE.get(rel)
                if expectation is None:
                    print("FAIL %s: the reference rejects it and the corpus README does not "
                          "say what to expect" % rel)
                    failures += 1
                elif expectation[0] == "accept" and ours.returncode != 0:
                    print("FAIL %s: expected to be accepted, opp-idl says:\n%s" % (rel, ours.stderr))
                    failures += 1
                elif expectation[0] == "reject" and (ours.returncode != 1 or
                                                     expectation[1] not in ours.stderr):
                    print("FAIL %s: expected an error at %s, opp-idl exit %d:\n%s" %
                          (rel, expectation[1], ours.returncode, ours.stderr))
                    failures += 1
                else:
                    print("ok   %s (reference rejects it; opp-idl %s as expected)" %
                          (rel, "accepts" if expectation[0] == "accept" else "rejects"))
                continue
            compared += 1
            if ours.returncode != 0:
                print("FAIL %s: opp-idl dump failed:\n%s" % (rel, ours.stderr))
                failures += 1
                continue
            name = os.path.splitext(os.path.basename(rel))[0] + ".json"
            with open(os.path.join(ref_dir, name)) as f:
                expected = canonical_keys(LenientJson(f.read()).parse())
            actual = canonical_keys(json.loads(ours.stdout))
            diff = first_difference(expected, actual)
            if diff:
                print("FAIL %s: %s" % (rel, diff))
                failures += 1
            else:
                print("ok   %s" % rel)
    print("%d files compared with the reference, %d failures" % (compared, failures))
    return 1 if failures or compared == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
