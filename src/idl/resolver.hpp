#pragma once
// The resolver: turns the parsed files of one root file and its includes into an
// immutable Schema. Names are looked up (typedef chains followed, "prog.Name" across
// direct includes, forward references and recursive types allowed), constants and
// defaults are checked against their types and evaluated, function argument and result
// structs are synthesized, and lookup tables are built.

#include <memory>
#include <string>
#include <vector>

#include "ast.hpp"
#include "opp/idl/descriptor.hpp"

namespace opp::idl {

/// One parsed file, ready for resolution.
struct ParsedFile {
  std::string path;          ///< absolute, normalised
  std::string display_path;  ///< how errors name it
  std::string name;          ///< file stem
  ast::File ast;
  std::vector<size_t> includes;  ///< indices into the ParsedFile list, declaration order
};

/// Resolves `files` (files[0] is the root). Returns null and fills `errors` on failure.
std::shared_ptr<Schema> resolve_schema(std::vector<ParsedFile>& files,
                                       std::vector<IdlError>& errors);

}  // namespace opp::idl
