#pragma once
// Shared state of the resolver passes (Resolver::run() in resolver.cpp calls them):
//   resolver_declarations.cpp  every name declared, duplicates reported, enums filled
//   resolver_types.cpp         type references and typedef chains resolved
//   resolver_structs.cpp       struct fields (defaults deferred until constants are known)
//   resolver_services.cpp      `extends`, functions and their synthesized structs
//   resolver_values.cpp        constants and field defaults checked and evaluated

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "resolver.hpp"

namespace opp::idl {

class Resolver {
 public:
  Resolver(std::vector<ParsedFile>& files, std::vector<IdlError>& errors);
  std::shared_ptr<Schema> run();

 private:
  // Typedefs and constants are resolved on first use, in whatever order uses come; one
  // met again while kInProgress refers to itself.
  enum class State : uint8_t { kPending, kInProgress, kDone, kFailed };

  struct TypedefEntry {
    TypedefDescriptor* descriptor = nullptr;
    const ast::Typedef* ast = nullptr;
    State state = State::kPending;
  };

  // What a name declared in one program refers to.
  struct Symbols {
    std::unordered_map<std::string, TypedefEntry> typedefs;
    std::unordered_map<std::string, const TypeDescriptor*> types;  ///< structs and enums
    std::unordered_map<std::string, ServiceDescriptor*> services;
    std::unordered_map<std::string, size_t> consts;  ///< index into ast consts
    std::vector<State> const_state;                  ///< parallel to ast consts
  };

  // A "prog.Name" reference to a direct include.
  struct IncludedName {
    size_t file;
    std::string local;  ///< "Name"
  };

  // resolver.cpp
  void error(size_t file, const ast::Location& at, std::string message);
  SourceLocation source_location(size_t file, const ast::Location& at) const;
  std::string qualified_name(const Program* program, const std::string& name) const;
  std::optional<IncludedName> find_in_includes(size_t file, const std::string& qualified) const;

  // resolver_declarations.cpp
  void declare(size_t file);
  void fill_enums(size_t file);

  // resolver_types.cpp
  void resolve_typedefs(size_t file);
  const TypeDescriptor* resolve_type(size_t file, const ast::Type& type);
  const TypeDescriptor* resolve_named(size_t file, const std::string& name,
                                      const ast::Location& at);
  const TypeDescriptor* resolve_typedef(size_t file, const std::string& name);
  const TypeDescriptor* base_type(const std::string& keyword, const Annotations& annotations);

  // resolver_structs.cpp
  void fill_struct_types(size_t file);
  void fill_fields(size_t file, const std::vector<ast::Field>& fields, StructDescriptor& out,
                   const std::string& owner);

  // resolver_values.cpp
  void resolve_consts(size_t file);
  void fill_defaults();
  const ConstDescriptor* resolve_const(size_t file, size_t index);
  std::optional<ConstValue> convert(size_t file, const ast::ConstValue& value,
                                    const TypeDescriptor* type, const std::string& what);
  std::optional<ConstValue> lookup_identifier(size_t file, const ast::ConstValue& value,
                                              const TypeDescriptor* type, const std::string& what);
  bool check_value(size_t file, const ast::Location& at, ConstValue& value,
                   const TypeDescriptor* type, const std::string& what);

  // resolver_services.cpp
  void declare_service_bases(size_t file);
  void fill_services(size_t file);
  void fill_function(size_t file, const ast::Function& fn, ServiceDescriptor& service);

  // Field defaults wait until every constant is known.
  struct PendingDefault {
    size_t file;
    const ast::Field* field;
    FieldDescriptor* target;
    std::string owner;
  };

  std::vector<ParsedFile>& files_;
  std::vector<PendingDefault> pending_defaults_;
  std::vector<IdlError>& errors_;
  std::shared_ptr<Schema> schema_;
  std::vector<Program*> programs_;  ///< parallel to files_
  std::vector<Symbols> symbols_;    ///< parallel to files_
  std::map<std::string, const TypeDescriptor*> base_types_;
  // Typedefs and constants may refer to each other in chains; resolving them recurses.
  static constexpr int kMaxChain = 500;
  int chain_depth_ = 0;
  bool enter_chain(size_t file, const ast::Location& at, const std::string& what);
};

}  // namespace opp::idl
