#pragma once
// Thrift bytes → JSON text: a direct reader of the wire format that writes JSON into the
// output buffer as it goes (SPEC §5 "JSON out" column).

#include <string_view>

#include "buffer.hpp"
#include "opp/codec/options.hpp"
#include "opp/common/result.hpp"
#include "plan.hpp"

namespace opp::codec {

/// Reads one struct of type `plan` from the front of `bytes`, writes it as a JSON object
/// and advances `bytes` past it.
Result<void> thrift_to_json(std::string_view& bytes, const StructPlan& plan,
                            const DecodeOptions& options, Buffer& out);

/// Reads a result struct (at most one field set) and writes only the value of the field
/// that was set; `set` receives it (nullptr when no known field was set). Advances `bytes`.
Result<void> thrift_result_to_json(std::string_view& bytes, const StructPlan& plan,
                                   const DecodeOptions& options, Buffer& out,
                                   const FieldPlan*& set);

}  // namespace opp::codec
