#pragma once
// Recursive-descent parser for the Thrift IDL grammar of Apache Thrift 0.17-0.22
// (thrifty.yy), producing an unresolved ast::File. Stops at the first syntax error.

#include <optional>
#include <string>
#include <string_view>

#include "ast.hpp"
#include "opp/idl/descriptor.hpp"

namespace opp::idl {

struct ParseResult {
  ast::File file;
  std::optional<IdlError> error;  ///< set when the text is not valid IDL
};

/// Parses `source`; `file` is the name used in error positions.
ParseResult parse_idl(std::string_view source, const std::string& file);

}  // namespace opp::idl
