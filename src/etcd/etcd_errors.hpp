#pragma once
// The errors of the etcd client, one place so every call names them the same way.

#include <string>

#include "opp/common/error.hpp"

namespace opp::etcd::detail {

inline Error unavailable(std::string message) {
  return Error{ErrorCode::kRequestServerFail, "etcd-unavailable", std::move(message), ""};
}
inline Error bad_reply(std::string message) {
  return Error{ErrorCode::kResponseUnableParse, "etcd-bad-reply", std::move(message), ""};
}
inline Error refused(std::string message) {
  return Error{ErrorCode::kServerHandleFail, "etcd-error", std::move(message), ""};
}

}  // namespace opp::etcd::detail
