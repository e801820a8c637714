#pragma once
// What every listing says about a snapshot, worked out once: per service its methods (the
// `method` values that reach each function, how biz_params maps onto its arguments, the
// merchant binding, the err_code rule of each declared exception) and per IDL file its
// state. The four renderers only format this.

#include <string>
#include <vector>

#include "opp/catalog/snapshot.hpp"

namespace opp::routes {

/// How biz_params maps onto a function's arguments (SPEC §3.1).
enum class BizShape : uint8_t {
  kStruct,     ///< the only argument is a struct: biz_params is that struct
  kArguments,  ///< an object keyed by argument name
  kNone,       ///< no argument: `{}` or absent
};

/// A declared exception (`throws`) and how the gateway answers it (SPEC §3.3).
struct ExceptionInfo {
  const idl::FieldDescriptor* field = nullptr;  ///< the `throws` entry
  const idl::StructDescriptor* type = nullptr;  ///< its exception struct; null if not a struct
  /// The field whose value becomes err_code (`code`), or "" when err_code is always 20000.
  std::string code_field;
  /// The field whose value becomes err_message (`message`, else `msg`), or "".
  std::string message_field;
  std::string err_code_rule;     ///< the rule in words
  std::string err_message_rule;  ///< the rule in words
};

struct MethodInfo {
  const idl::FunctionDescriptor* function = nullptr;
  /// The `method` value to send: the route segment when it reaches this function, else
  /// the function name.
  std::string method;
  /// Every value of `method` that reaches this function (route segment first).
  std::vector<std::string> accepted;
  /// False when another function took both its route segment and its name.
  bool reachable = true;
  BizShape shape = BizShape::kNone;
  /// The struct whose fields are biz_params' top-level keys: the argument's struct
  /// (kStruct) or the synthesized args struct (kArguments, kNone).
  const idl::StructDescriptor* biz_root = nullptr;
  /// The top-level string field `merchant_id` the gateway fills (SPEC §3.1), or null.
  const idl::FieldDescriptor* bound_field = nullptr;
  /// Field 0 of the result struct; null for void and oneway functions.
  const idl::FieldDescriptor* success = nullptr;
  std::vector<ExceptionInfo> exceptions;
};

struct ServiceInfo {
  const catalog::ServiceEntry* entry = nullptr;
  std::string svc;   ///< file stem
  std::string file;  ///< relative to idl_dir
  std::string path;  ///< "/gateway/<svc>"
  /// Its file fails to load now: this is the version loaded before (SPEC §2).
  bool stale = false;
  std::vector<MethodInfo> methods;  ///< inherited functions first, declaration order
};

struct FileInfo {
  std::string file;    ///< relative to idl_dir
  std::string sha256;  ///< "" when unreadable
  std::string svc;     ///< the service it defines (or defined, when stale); "" otherwise
  /// "ok" (defines a service), "include-only", or "error".
  std::string state;
  /// "file:line:col: message" with the path relative to idl_dir; "" unless state is error.
  std::string error;
  /// For an error: whether its service keeps serving its previous version.
  bool serving_previous = false;
  std::vector<std::string> includes;  ///< relative to idl_dir where they lie inside it
};

struct Listing {
  std::vector<ServiceInfo> services;  ///< sorted by svc
  std::vector<FileInfo> files;        ///< sorted by file name
};

/// The listing model of `snapshot`; pointers refer into the snapshot, which must outlive it.
Listing describe(const catalog::Snapshot& snapshot);

/// "required", "optional" or "default" (Thrift's default requiredness).
const char* requiredness_name(idl::Requiredness requiredness);

}  // namespace opp::routes
