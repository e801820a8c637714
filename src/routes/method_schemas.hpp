#pragma once
// The per-method pieces the routes JSON and the OpenAPI document share: the root schemas
// of biz_params, data and each declared exception, and plain field tables.

#include "routes/json.hpp"
#include "routes/model.hpp"
#include "routes/schema.hpp"

namespace opp::routes {

/// What biz_params accepts (SPEC §3.1): the argument struct (kStruct), an object keyed by
/// argument name (kArguments), or any object (kNone); merchant_id marked as filled by the
/// gateway. Nested types are definitions of `in`.
Json biz_params_root(const MethodInfo& method, SchemaBuilder& in);

/// What `data` holds on success: the result struct, the bare result value, or `{}` for
/// void and oneway functions.
Json data_root(const MethodInfo& method, SchemaBuilder& out);

/// The `data` of a declared exception's answer: the exception as JSON.
Json exception_root(const ExceptionInfo& exception, SchemaBuilder& out);

/// `{key: value}` of annotations (the first value of a repeated key, as lookups see it).
Json annotations_json(const idl::Annotations& annotations);

/// One row per field: key, name, id, type, declared_type, requiredness, default (as JSON,
/// or null), doc, js_conv, filled_by_gateway.
Json field_rows(const idl::StructDescriptor& type, const idl::FieldDescriptor* bound);

/// The type name the listings show: the canonical resolved name ("list<i64>",
/// "common.BizError"; typedefs followed, their name is the field's declared_type).
std::string type_name(const idl::FieldDescriptor& field);

}  // namespace opp::routes
