#!/usr/bin/env python3
"""The JSON Schemas of `opp-idl routes` (the routes JSON of GET /gateway/routes).

1. Every biz_params, data and exception schema is a valid draft 2020-12 schema (checked
   against the meta-schema by the `jsonschema` package), and the listing's own examples
   validate against their schemas.
2. Real biz_params: a QueryOrder request validates; wrong types do not.
3. The schemas say precisely what the gateway accepts: for many values, the schema's verdict
   equals the codec's (`opp-idl encode` runs the gateway's JSON->Thrift codec). The known,
   documented differences are asserted as such, so the notes stay true.
4. What the codec writes back (`opp-idl decode`) validates against the data schemas.

Usage: json_schemas.py OPP_IDL SOURCE_DIR. Exit 77 (skipped) when jsonschema is missing.
"""
import json
import os
import subprocess
import sys

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:
    print("skipped: the Python package jsonschema is not installed "
          "(pip install jsonschema)")
    sys.exit(77)

OPP_IDL, SOURCE = sys.argv[1], sys.argv[2]
PAYMENT_DIR = os.path.join(SOURCE, "idl")
SHOP_DIR = os.path.join(SOURCE, "tests", "data", "routes", "dir")
CODEC_DIR = os.path.join(SOURCE, "tests", "data", "codec")
failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message)


def routes(directory):
    out = subprocess.run([OPP_IDL, "routes", directory, "--format", "json"],
                         check=True, capture_output=True).stdout
    return json.loads(out)


def function(doc, svc, name):
    for s in doc["services"]:
        if s["svc"] == svc:
            for f in s["functions"]:
                if f["function"] == name:
                    return f
    raise KeyError(svc + "." + name)


def validator(schema):
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_accepts(schema, value):
    return not list(validator(schema).iter_errors(value))


def codec_accepts(idl_file, type_name, value):
    r = subprocess.run([OPP_IDL, "encode", idl_file, type_name],
                       input=json.dumps(value).encode(), capture_output=True)
    return r.returncode == 0, r.stdout, r.stderr.decode(errors="replace").strip()


def codec_round_trip(idl_file, type_name, value):
    ok, wire, err = codec_accepts(idl_file, type_name, value)
    if not ok:
        raise AssertionError("encode failed: " + err)
    r = subprocess.run([OPP_IDL, "decode", idl_file, type_name], input=wire,
                       capture_output=True, check=True)
    return json.loads(r.stdout)


# ---- 1. meta-schema and the listing's own examples ----
schema_count = 0
for directory in (PAYMENT_DIR, SHOP_DIR, CODEC_DIR):
    doc = routes(directory)
    for svc in doc["services"]:
        for fn in svc["functions"]:
            where = "%s %s.%s" % (os.path.basename(directory), svc["svc"], fn["function"])
            schemas = [("biz_params", fn["biz_params"]["schema"]), ("data", fn["data"]["schema"])]
            schemas += [("exception " + e["name"], e["schema"]) for e in fn["exceptions"]]
            for what, schema in schemas:
                schema_count += 1
                if schema.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
                    fail("%s %s: $schema is %r" % (where, what, schema.get("$schema")))
                try:
                    Draft202012Validator.check_schema(schema)
                except jsonschema.exceptions.SchemaError as e:
                    fail("%s %s: not a valid 2020-12 schema: %s" % (where, what, e.message))
            for what, example, schema in (
                    ("biz_params", fn["biz_params"]["example"], fn["biz_params"]["schema"]),
                    ("data", fn["data"]["example"], fn["data"]["schema"])):
                errors = [e.message for e in validator(schema).iter_errors(example)]
                if errors:
                    fail("%s: the %s example does not validate: %s" % (where, what, errors))
print("%d schemas checked against the 2020-12 meta-schema" % schema_count)

# ---- 2. real payment requests ----
payment = routes(PAYMENT_DIR)
query = function(payment, "payment", "QueryOrder")["biz_params"]["schema"]
unify = function(payment, "payment", "UnifyPay")["biz_params"]["schema"]
for value, want in (
        ({"out_order_no": "A1"}, True),
        ({"out_order_no": "A1", "merchant_id": "M1", "unknown_key": [1, 2]}, True),
        ({"out_order_no": 5}, False),
        ({"out_order_no": ["A1"]}, False),
        ({"merchant_id": 7}, False),
        ("A1", False),
        ({"out_order_no": "A1", "total_amount": 100, "pay_way": "wxpay"}, True)):
    if schema_accepts(query, value) != want:
        fail("QueryOrder biz_params %r: expected %s" % (value, "valid" if want else "invalid"))
for amount, want in ((100, True), ("618", True), ("0618", True), ("abc", False), (1.5, False),
                     (9223372036854775807, True), (9223372036854775808, False),
                     ("9223372036854775808", False), (True, False)):
    value = {"out_order_no": "A1", "total_amount": amount, "pay_way": "alipay"}
    if schema_accepts(unify, value) != want:
        fail("UnifyPay total_amount %r: expected %s" % (amount, "valid" if want else "invalid"))

# ---- 3. the schema's verdict equals the codec's ----
ALL_TYPES = os.path.join(CODEC_DIR, "all_types.thrift")
SHOP = os.path.join(SHOP_DIR, "shop.thrift")
codec_doc = routes(CODEC_DIR)
shop_doc = routes(SHOP_DIR)
echo = function(codec_doc, "all_types", "Echo")["biz_params"]["schema"]
place = function(shop_doc, "shop", "PlaceOrder")["biz_params"]["schema"]
walk = function(shop_doc, "shop", "Walk")["biz_params"]["schema"]
choose = function(shop_doc, "shop", "Choose")["biz_params"]["schema"]


def with_req(**fields):
    value = {"req": "r"}
    value.update(fields)
    return value


AGREE = [  # (schema, idl file, codec type, value)
    (echo, ALL_TYPES, "AllTypes", with_req()),
    (echo, ALL_TYPES, "AllTypes", {}),                       # missing required `req`
    (echo, ALL_TYPES, "AllTypes", {"req": 5}),
    (echo, ALL_TYPES, "AllTypes", with_req(zzz={"deep": [1]})),   # unknown keys are ignored
    (echo, ALL_TYPES, "AllTypes", with_req(b=True)),
    (echo, ALL_TYPES, "AllTypes", with_req(b="true")),
    (echo, ALL_TYPES, "AllTypes", with_req(b=1)),
]
for field, values in {
        "i8v": [127, -128, 128, -129, "127", "-128", "128", "-0", "0007", "+1", "1e2", "", "x"],
        "i16v": [32767, 32768, "-32768", "-32769", "000032767"],
        "i32v": [2147483647, 2147483648, "-2147483648", "-2147483649", 1.5],
        "i64v": [9223372036854775807, -9223372036854775808, 9223372036854775808,
                 "9223372036854775807", "-9223372036854775808", "9223372036854775808",
                 "-09223372036854775808", "99999999999999999999"],
        "js": [5, "5", "x"],
        "d": [1.5, 1, -0.25, "1.5", True],
        "s": ["x", "", 1, ["x"]],
        "bin": ["AAEC", "AAE", "AA", "AA==", "AAE=", "A", "AA=", "A===", "-_-_", "AA+/", "!!!!",
                "AAECAw", "AAECAw==", 5],
        "color": [1, 2, 5, 3, 0, "RED", "BLUE", "red", "PURPLE", "1", "05", "3", "-0", -1],
        "li": [[], [1, "2"], [1.5], ["x"], 1, [None]],
        "ss": [[], ["a", "b"], [1]],
        "msi": [{}, {"a": 1}, {"a": "9"}, {"a": "x"}, []],
        "mis": [{"1": "a"}, {"-1": "a"}, {"007": "a"}, {"x": "a"}, {"2147483648": "a"},
                {"1": 1}],
        "mci": [{"RED": {"a": 1}}, {"1": {"a": 1}}, {"5": {"a": 1}}, {"3": {"a": 1}},
                {"RED": {}}, {"GREEN": {"a": 1, "b": "x"}}],
        "inner": [{"a": 1}, {}, {"a": "1"}, {"a": 1, "b": 2}, {"b": "x"}],
        "nested": [[[{"a": 1}]], [[{}]], [{"a": 1}]],
        "choice": [{"n": 1}, {"s": "x"}, {"inner": {"a": 1}}, {}, {"n": 1, "s": "x"},
                   {"inner": {}}],
        "mbs": [{"true": "x"}, {"false": "y"}, {"yes": "x"}, {"1": "x"}],
        "mbd": [{"1": 1.5}, {"-128": 0.5}, {"128": 1.5}, {"x": 1.5}, {"1": "1.5"}],
        "lbin": [["AAEC"], ["A"]],
        "lb": [[True, False], [1]],
        "si16": [[1, "2"], [40000]],
        "mil": [{"5": ["a"]}, {"5": [1]}, {"9223372036854775808": ["a"]}],
        "opt_inner": [{"a": 1}, {"a": None, "b": "x"}],
        "renamed": ["x", 1],
}.items():
    for v in values:
        AGREE.append((echo, ALL_TYPES, "AllTypes", with_req(**{field: v})))

for v in [{"price": 1}, {}, {"price": "12"}, {"price": "x"}, {"price": 1, "level": "HIGH"},
          {"price": 1, "level": "NEG"}, {"price": 1, "level": -3}, {"price": 1, "level": "-03"},
          {"price": 1, "level": 7}, {"price": 1, "level": "7"},
          {"price": 1, "by_level": {"NEG": [1, "2"]}}, {"price": 1, "by_level": {"-3": []}},
          {"price": 1, "by_level": {"x": [1]}}, {"price": 1, "by_level": {"1": ["x"]}},
          {"price": 1, "memo": "x"}, {"price": 1, "memo": 1}, {"price": 1, "note": 1},
          {"price": 1, "total": {"amount": "5", "currency": "EUR"}},
          {"price": 1, "total": {"amount": 1.5}}, {"price": 1, "blobs": ["AAEC", "-_8"]},
          {"price": 1, "blobs": ["A"]}, {"price": 1, "retries": 40000},
          {"price": 1, "small": [127, "-128"]}, {"price": 1, "small": [200]},
          {"price": 1, "labels": {"-2147483648": "x"}}, {"price": 1, "big": "1"}]:
    AGREE.append((place, SHOP, "Order", v))
for v in [{"root": {"name": "a", "children": [{"name": "b", "children": []}]}, "depth": 1},
          {"root": {"name": "a", "children": [{}]}}, {"root": {"name": "a"}, "depth": "x"},
          {"root": {"name": "a", "by_name": {"k": {"name": "b"}}}},
          {"root": {"name": "a", "by_name": {"k": {}}}}, {"depth": 2}]:
    AGREE.append((walk, SHOP, "ShopSvc.Walk.args", v))
for v in [{"leaf": 1}, {"level": "LOW"}, {"node": {"name": "n"}}, {}, {"leaf": 1, "level": 1},
          {"node": {}}]:
    AGREE.append((choose, SHOP, "Pick", v))

# Where the schemas are deliberately stricter or looser than the gateway (documented in the
# listing's notes: null means absent; JSON Schema's `integer` includes 1.0; sets are
# declared uniqueItems although the gateway passes duplicates on).
DIFFER = [  # (schema, file, type, value, schema verdict, codec verdict)
    (echo, ALL_TYPES, "AllTypes", with_req(s=None), False, True),
    (echo, ALL_TYPES, "AllTypes", with_req(i32v=1.0), True, False),
    (echo, ALL_TYPES, "AllTypes", with_req(color=1.0), True, False),
    (echo, ALL_TYPES, "AllTypes", with_req(ss=["a", "a"]), False, True),
    (choose, SHOP, "Pick", {"leaf": 1, "unknown": 2}, False, True),
]

agreed = 0
for schema, idl_file, type_name, value in AGREE:
    by_schema = schema_accepts(schema, value)
    by_codec, _, err = codec_accepts(idl_file, type_name, value)
    if by_schema != by_codec:
        fail("%s %s: the schema says %s, the gateway's codec %s (%s)" % (
            type_name, json.dumps(value), "valid" if by_schema else "invalid",
            "accepts" if by_codec else "rejects", err))
    else:
        agreed += 1
for schema, idl_file, type_name, value, want_schema, want_codec in DIFFER:
    by_schema = schema_accepts(schema, value)
    by_codec, _, _ = codec_accepts(idl_file, type_name, value)
    if (by_schema, by_codec) != (want_schema, want_codec):
        fail("%s %s: expected the documented difference schema=%s codec=%s, got %s %s" % (
            type_name, json.dumps(value), want_schema, want_codec, by_schema, by_codec))
print("%d values: schema and codec agree" % agreed)

# ---- 4. what the codec writes back fits the data schemas ----
echo_data = function(codec_doc, "all_types", "Echo")["data"]["schema"]
for value in (with_req(js="12", i64v="-5", color="BLUE", bin="-_8", mis={"007": "a"},
                       mci={"RED": {"a": 1}}, choice={"n": 3}, d=2, ss=["x"]),
              with_req(dflt=1, mbs={"true": "t"}, mbd={"-1": 0.5}, lbin=["AAE"], lb=[True])):
    written = codec_round_trip(ALL_TYPES, "AllTypes", value)
    errors = [e.message for e in validator(echo_data).iter_errors(written)]
    if errors:
        fail("decoded %s does not fit Echo's data schema: %s" % (json.dumps(written), errors))
    if not isinstance(written.get("js"), str) and "js" in value:
        fail("api.js_conv field js came back as %r" % written.get("js"))
order_data = function(shop_doc, "shop", "PlaceOrder")["data"]["schema"]
written = codec_round_trip(SHOP, "Order", {"price": "9", "level": "NEG", "big": 77,
                                            "by_level": {"HIGH": [1]}})
errors = [e.message for e in validator(order_data).iter_errors(written)]
if errors:
    fail("decoded Order does not fit PlaceOrder's data schema: %s" % errors)
if written.get("big") != "77" or written.get("level") != -3:
    fail("decoded Order: %s" % json.dumps(written))

if failures:
    print("%d failure(s)" % len(failures))
    sys.exit(1)
print("ok")
