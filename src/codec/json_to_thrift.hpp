#pragma once
// JSON text → Thrift struct body, streaming: a SAX reader (JsonReader, RapidJSON's handler
// interface, tuned for this path) drives a descriptor-aware writer straight into the
// output buffer (no DOM, no intermediate map).

#include <string_view>

#include "buffer.hpp"
#include "opp/codec/options.hpp"
#include "opp/common/result.hpp"
#include "plan.hpp"

namespace opp::codec {

/// Writes the fields of `root` found in `json`, the defaults of absent fields and STOP.
/// `json` consisting only of whitespace is read as `{}`.
Result<void> json_to_thrift(std::string_view json, const StructPlan& root,
                            const EncodeOptions& options, Buffer& out);

}  // namespace opp::codec
