// The resolver's driver: the passes in dependency order, and the helpers they share.
#include "resolver_internal.hpp"

namespace opp::idl {

Resolver::Resolver(std::vector<ParsedFile>& files, std::vector<IdlError>& errors)
    : files_(files), errors_(errors) {}

std::shared_ptr<Schema> Resolver::run() {
  schema_ = std::make_shared<Schema>();
  size_t error_count_before = errors_.size();
  for (ParsedFile& file : files_) {
    auto program = std::make_unique<Program>();
    program->path = file.path;
    program->name = file.name;
    program->doc = file.ast.doc;
    program->namespaces = file.ast.namespaces;
    programs_.push_back(program.get());
    schema_->programs_.push_back(std::move(program));
  }
  schema_->root_ = programs_.front();
  for (size_t i = 0; i < files_.size(); ++i) {
    for (size_t included : files_[i].includes)
      programs_[i]->includes.push_back(programs_[included]);
  }
  symbols_.resize(files_.size());
  // Each pass runs over every file before the next starts: a name may be used in a file
  // before the file that declares it has been looked at.
  for (size_t i = 0; i < files_.size(); ++i) declare(i);
  for (size_t i = 0; i < files_.size(); ++i) fill_enums(i);
  for (size_t i = 0; i < files_.size(); ++i) resolve_typedefs(i);
  for (size_t i = 0; i < files_.size(); ++i) declare_service_bases(i);
  for (size_t i = 0; i < files_.size(); ++i) fill_struct_types(i);
  for (size_t i = 0; i < files_.size(); ++i) fill_services(i);
  for (size_t i = 0; i < files_.size(); ++i) resolve_consts(i);
  fill_defaults();
  if (errors_.size() != error_count_before) return nullptr;
  for (const auto& program : schema_->programs_) {
    for (const auto& s : program->structs) s->build_lookup_tables();
  }
  for (const auto& s : schema_->synthesized_) s->build_lookup_tables();
  return schema_;
}

void Resolver::error(size_t file, const ast::Location& at, std::string message) {
  errors_.push_back(IdlError{source_location(file, at), std::move(message)});
}

SourceLocation Resolver::source_location(size_t file, const ast::Location& at) const {
  return SourceLocation{files_[file].display_path, at.line, at.column};
}

std::string Resolver::qualified_name(const Program* program, const std::string& name) const {
  return program == schema_->root_ ? name : program->name + "." + name;
}

std::optional<Resolver::IncludedName> Resolver::find_in_includes(
    size_t file, const std::string& qualified) const {
  for (size_t included : files_[file].includes) {
    const std::string& prefix = files_[included].name;
    if (qualified.size() > prefix.size() + 1 && qualified.compare(0, prefix.size(), prefix) == 0 &&
        qualified[prefix.size()] == '.') {
      return IncludedName{included, qualified.substr(prefix.size() + 1)};
    }
  }
  return std::nullopt;
}

bool Resolver::enter_chain(size_t file, const ast::Location& at, const std::string& what) {
  if (chain_depth_ >= kMaxChain) {
    error(
        file, at,
        what + " is defined through more than " + std::to_string(kMaxChain) + " other definitions");
    return false;
  }
  ++chain_depth_;
  return true;
}

std::shared_ptr<Schema> resolve_schema(std::vector<ParsedFile>& files,
                                       std::vector<IdlError>& errors) {
  Resolver resolver(files, errors);
  return resolver.run();
}

}  // namespace opp::idl
