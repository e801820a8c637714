#pragma once
// Shared state of the resolver passes (resolver.cpp: declarations, types, structs;
// resolver_values.cpp: constants and defaults; resolver_services.cpp: services).

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
  enum class State : uint8_t { kPending, kInProgress, kDone, kFailed };

  // What a name declared in one program refers to.
  struct Symbols {
    std::unordered_map<std::string, TypedefDescriptor*> typedefs;
    std::unordered_map<std::string, const ast::Typedef*> typedef_asts;
    std::unordered_map<std::string, const TypeDescriptor*> types;  ///< structs and enums
    std::unordered_map<std::string, ServiceDescriptor*> services;
    std::unordered_map<std::string, size_t> consts;  ///< index into ast consts
    std::unordered_map<std::string, State> typedef_state;
    std::vector<State> const_state;
  };

  // resolver.cpp
  void declare(size_t file);
  void fill_enums(size_t file);
  void fill_struct_types(size_t file);
  void fill_defaults();
  const TypeDescriptor* resolve_type(size_t file, const ast::Type& type);
  const TypeDescriptor* resolve_named(size_t file, const std::string& name,
                                      const ast::Location& at);
  const TypeDescriptor* resolve_typedef(size_t file, const std::string& name);
  const TypeDescriptor* base_type(const std::string& keyword, const Annotations& annotations);
  void fill_fields(size_t file, const std::vector<ast::Field>& fields, StructDescriptor& out,
                   const std::string& owner);
  bool find_in_includes(size_t file, const std::string& qualified, size_t& target,
                        std::string& rest) const;
  std::string qualified_name(const Program* program, const std::string& name) const;
  void error(size_t file, const ast::Location& at, std::string message);

  // resolver_values.cpp
  void resolve_consts(size_t file);
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

/// "i32", "list<string>", "map<i32,Xtruct>": the descriptor's canonical spelling.
std::string type_spelling(const TypeDescriptor& type);

}  // namespace opp::idl
