#pragma once
// What the human-readable listings (HTML, Markdown) show besides the model: the structs
// and enums a service's methods reach, the names they are shown by, and the text of a
// field's columns (requiredness, default, notes) — so both pages say the same.

#include <string>
#include <vector>

#include "routes/model.hpp"

namespace opp::routes {

/// Structs (also unions, exceptions) and enums reachable from a service's biz_params,
/// data and declared exceptions, each sorted by display name.
struct TypesUsed {
  std::vector<const idl::StructDescriptor*> structs;
  std::vector<const idl::EnumDescriptor*> enums;
};
TypesUsed types_used(const ServiceInfo& service);

/// The name a type is written with in the service's IDL: unqualified in the service's own
/// file, `program.Name` for an included one (the canonical spelling of TypeDescriptor).
std::string display_name(const ServiceInfo& service, const idl::StructDescriptor& type);
std::string display_name(const ServiceInfo& service, const idl::EnumDescriptor& type);

/// The columns of one field row.
struct FieldText {
  std::string key;                 ///< JSON key
  std::string name_note;           ///< "Thrift name x, id 3" style detail
  std::string requiredness;        ///< "required", "optional", "default"
  std::string default_text;        ///< compact JSON of the default, with a note for optional ones
  std::string doc;                 ///< doc comment
  std::vector<std::string> notes;  ///< merchant binding, js_conv, typedef
};
FieldText field_text(const idl::FieldDescriptor& field, const idl::FieldDescriptor* bound,
                     bool response);

/// "UnifyPayResp UnifyPay(1: UnifyPayReq req) throws (1: common.BizError e)".
std::string signature_text(const idl::FunctionDescriptor& function);

/// One sentence on how biz_params maps onto the function's arguments.
std::string shape_text(const MethodInfo& method);

}  // namespace opp::routes
