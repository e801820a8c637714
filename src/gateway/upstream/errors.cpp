#include "gateway/upstream/errors.hpp"

namespace opp::gateway::upstream {

std::string_view sub_code(FailureKind kind) {
  switch (kind) {
    case FailureKind::kUnavailable:
      return "upstream-unavailable";
    case FailureKind::kTimeout:
      return "upstream-timeout";
    case FailureKind::kReset:
      return "upstream-reset";
    case FailureKind::kSaturated:
      return "upstream-saturated";
    case FailureKind::kBadReply:
      return "bad-upstream-reply";
  }
  return "upstream-unavailable";
}

Error make_error(FailureKind kind, std::string message) {
  const ErrorCode code = kind == FailureKind::kBadReply ? ErrorCode::kResponseUnableParse
                                                        : ErrorCode::kRequestServerFail;
  return Error{code, std::string(sub_code(kind)), std::move(message), ""};
}

}  // namespace opp::gateway::upstream
