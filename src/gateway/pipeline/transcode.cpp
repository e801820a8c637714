#include "gateway/pipeline/transcode.hpp"

#include "opp/codec/codec.hpp"

namespace opp::gateway::pipeline {

Result<void> transcode(const TranscodeInput& input, std::string& out) {
  codec::EncodeOptions options;
  options.protocol = input.protocol;
  options.max_depth = input.max_depth;
  options.root_name = "biz_params";
  // Merchant binding (SPEC §3.1): a top-level string field `merchant_id` of the argument
  // struct is filled with the authenticated merchant; another non-empty value is refused.
  options.bound_key = "merchant_id";
  options.bound_value = input.merchant_id;
  return input.service->codec().encode_call(*input.function, input.seqid, input.biz_params, options,
                                            out);
}

}  // namespace opp::gateway::pipeline
