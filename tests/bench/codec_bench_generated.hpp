#pragma once
// The reference path of the codec benchmark: what a gateway with compiled stubs does.
// JSON → RapidJSON DOM → generated struct → TProtocol, and back with RapidJSON's Writer.

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "baseline_types.h"

namespace bench {

/// Fills a generated struct from a DOM; false on a type mismatch.
bool fill(::Simple& out, const rapidjson::Value& json);
bool fill(::Nesting& out, const rapidjson::Value& json);

/// Writes a generated struct as JSON (js_conv i64 as a string, binary as base64).
void write_json(const ::Simple& value, rapidjson::Writer<rapidjson::StringBuffer>& w);
void write_json(const ::Nesting& value, rapidjson::Writer<rapidjson::StringBuffer>& w);

}  // namespace bench
