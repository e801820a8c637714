#pragma once
// The upstream's reply message → the merchant's answer (SPEC §3.3): success with `data`,
// a declared exception (≥ 20000, HTTP 200), a TApplicationException (10006) or a reply
// that does not decode against the IDL (10007).

#include <string>
#include <string_view>

#include "opp/catalog/snapshot.hpp"
#include "opp/codec/options.hpp"
#include "opp/common/error.hpp"

namespace opp::gateway::pipeline {

struct Answer {
  uint16_t status = 200;
  ErrorCode err_code = ErrorCode::kOk;
  std::string body;  ///< the complete JSON envelope
};

/// The answer to `reply` (the upstream's reply message without frame header) of
/// `function`; an empty reply is a oneway call's ({}).
Answer answer_reply(const catalog::ServiceEntry& service, const idl::FunctionDescriptor& function,
                    std::string_view reply, codec::Protocol protocol, uint32_t max_depth,
                    std::string_view request_id);

/// The answer to an error at any stage.
Answer answer_error(const Error& error, std::string_view request_id);

}  // namespace opp::gateway::pipeline
