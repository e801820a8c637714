#!/usr/bin/env python3
"""The OpenAPI document of `opp-idl routes --format openapi` (GET /gateway/openapi.json).

1. Validates as OpenAPI 3.1 with the real `openapi-spec-validator`, for the payment IDL, the
   route-listing test IDL and all_types.thrift.
2. Every payment method is in it with its fields: a discriminator value per accepted
   `method`, and biz_params / data schemas whose properties are the method's fields.
3. Its examples fit its schemas: each request example against the method's request schema,
   its biz_params text against the biz_params schema, each 200 example against the response.

Usage: openapi_validator.py OPP_IDL SOURCE_DIR. Exit 77 (skipped) when the validator is
missing; install it with `pip install openapi-spec-validator`.
"""
import json
import os
import subprocess
import sys

try:
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
except ImportError:
    print("skipped: the Python package openapi-spec-validator is not installed "
          "(pip install openapi-spec-validator)")
    sys.exit(77)
from jsonschema import Draft202012Validator  # a dependency of openapi-spec-validator

OPP_IDL, SOURCE = sys.argv[1], sys.argv[2]
DIRS = [os.path.join(SOURCE, "idl"), os.path.join(SOURCE, "tests", "data", "routes", "dir"),
        os.path.join(SOURCE, "tests", "data", "codec")]
failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message)


def listing(directory, fmt):
    out = subprocess.run([OPP_IDL, "routes", directory, "--format", fmt],
                         check=True, capture_output=True).stdout
    return json.loads(out)


def component_validator(doc, name):
    # A schema that refers into the document's components, resolved inside the document.
    schema = {"$ref": "#/components/schemas/" + name, "components": doc["components"]}
    return Draft202012Validator(schema)


def errors_of(doc, name, value):
    return [e.message for e in component_validator(doc, name).iter_errors(value)]


# ---- 1. the real validator ----
documents = {}
for directory in DIRS:
    doc = listing(directory, "openapi")
    documents[directory] = doc
    try:
        validate(doc)
        print("valid OpenAPI %s: %s (%d paths, %d schemas)" % (
            doc["openapi"], os.path.relpath(directory, SOURCE), len(doc["paths"]),
            len(doc["components"]["schemas"])))
    except OpenAPIValidationError as e:
        fail("%s: %s" % (directory, e))

# ---- 2. every payment method with its fields ----
payment_dir = DIRS[0]
doc = documents[payment_dir]
routes = listing(payment_dir, "json")
schemas = doc["components"]["schemas"]
op = doc["paths"]["/gateway/payment"]["post"]
request_ref = op["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]["$ref"]
request = schemas[request_ref.split("/")[-1]]
mapping = request["discriminator"]["mapping"]
payment = [s for s in routes["services"] if s["svc"] == "payment"][0]
for fn in payment["functions"]:
    name = fn["function"]
    base = "payment." + name
    for value in fn["methods"]:
        if mapping.get(value) != "#/components/schemas/%s.Request" % base:
            fail("method=%s is not mapped to %s.Request" % (value, base))
    biz = schemas.get(base + ".BizParams", {})
    want = {row["key"] for row in fn["biz_params"]["fields"]}
    if set(biz.get("properties", {})) != want:
        fail("%s biz_params properties %s, expected %s" % (name, sorted(biz.get("properties", {})),
                                                           sorted(want)))
    data = schemas.get(base + ".Data", {})
    want = {row["key"] for row in fn["data"]["fields"]}
    if set(data.get("properties", {})) != want:
        fail("%s data properties %s, expected %s" % (name, sorted(data.get("properties", {})),
                                                     sorted(want)))
    for key, row in ((r["key"], r) for r in fn["biz_params"]["fields"]):
        prop = biz["properties"][key]
        if row["type"] == "i64" and prop.get("maximum") != 2**63 - 1:
            fail("%s.%s: i64 without its range" % (name, key))
        if row["type"] == "string" and prop.get("type") != "string":
            fail("%s.%s: a string field typed %r" % (name, key, prop.get("type")))
print("%d payment methods with their fields" % len(payment["functions"]))

# ---- 3. the examples fit the schemas ----
for directory, doc in documents.items():
    for path, item in doc["paths"].items():
        op = item.get("post")
        if not op:
            continue
        for media_type, media in op["requestBody"]["content"].items():
            for example_name, example in media.get("examples", {}).items():
                value = example["value"]
                ref = media["schema"]["$ref"].split("/")[-1]
                errors = errors_of(doc, ref, value)
                if errors:
                    fail("%s %s example %s: %s" % (path, media_type, example_name, errors))
                mapping_name = doc["components"]["schemas"][ref]["discriminator"]["mapping"][
                    value["method"]].split("/")[-1]
                biz_ref = doc["components"]["schemas"][mapping_name]["properties"]["biz_params"][
                    "contentSchema"]["$ref"].split("/")[-1]
                errors = errors_of(doc, biz_ref, json.loads(value["biz_params"]))
                if errors:
                    fail("%s example %s: biz_params does not fit %s: %s" % (
                        path, example_name, biz_ref, errors))
        ok = op["responses"]["200"]["content"]["application/json"]
        ref = ok["schema"]["$ref"].split("/")[-1]
        for example_name, example in ok["examples"].items():
            errors = errors_of(doc, ref, example["value"])
            if errors:
                fail("%s 200 example %s: %s" % (path, example_name, errors))
    for name, response in doc["components"]["responses"].items():
        media = response["content"]["application/json"]
        for example_name, example in media["examples"].items():
            errors = [e.message for e in Draft202012Validator(
                dict(media["schema"], components=doc["components"])).iter_errors(example["value"])]
            if errors:
                fail("%s example %s: %s" % (name, example_name, errors))

if failures:
    print("%d failure(s)" % len(failures))
    sys.exit(1)
print("ok")
