#pragma once
// biz_params (JSON text) → the Thrift call message for the upstream (SPEC §3.1 merchant
// binding, §5 mapping). Errors: 10001 `invalid-biz-params` naming the JSON path, 10002
// `merchant-mismatch`.

#include <cstdint>
#include <string>
#include <string_view>

#include "opp/catalog/snapshot.hpp"
#include "opp/codec/options.hpp"
#include "opp/common/result.hpp"

namespace opp::gateway::pipeline {

struct TranscodeInput {
  const catalog::ServiceEntry* service = nullptr;
  const idl::FunctionDescriptor* function = nullptr;
  std::string_view biz_params;   ///< "{}" when the request had none
  std::string_view merchant_id;  ///< the authenticated merchant, bound into `merchant_id`
  codec::Protocol protocol = codec::Protocol::kBinary;
  int32_t seqid = 0;
  uint32_t max_depth = 64;
};

/// The call message (no frame header) appended to `out`; `out` unchanged on error.
Result<void> transcode(const TranscodeInput& input, std::string& out);

}  // namespace opp::gateway::pipeline
