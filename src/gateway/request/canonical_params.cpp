#include "gateway/request/canonical_params.hpp"

namespace opp::gateway::request {

std::string canonical_string(const RequestParams& params) {
  // RequestParams stores crypto::SignedParam views, so they are handed over as they are.
  return crypto::canonical_string(params.entries());
}

}  // namespace opp::gateway::request
