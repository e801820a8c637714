#pragma once
// `opp-idl dump`: a parsed program as JSON in the schema of Apache Thrift 0.17's
// `thrift --gen json` (same keys and values), so the two can be compared.

#include <string>

#include "opp/idl/descriptor.hpp"

namespace opp::idl {

/// Pretty-printed JSON document describing `program` (without merging includes).
std::string to_thrift_json(const Program& program);

}  // namespace opp::idl
