#pragma once
// The gateway's side of `opp_request` (include/opp/plugin.h): a view of one request as
// the hooks see it, plus what the hooks asked for (response headers, a rejection, a
// direct answer). It lives on the stack of the hook call; it owns only what plugins add.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/http/http_message.hpp"
#include "opp/common/error.hpp"
#include "opp/plugin.h"

namespace opp::gateway::request {
struct RequestParams;
}

struct opp_request {
  // --- what the hooks read; pointers into the request, valid during the hook call ---
  const opp::gateway::http::IncomingRequest* http = nullptr;
  const opp::gateway::request::RequestParams* params = nullptr;  ///< merchant calls only
  std::string_view merchant;
  std::string_view svc;
  std::string_view method;
  int32_t status = 0;
  int32_t err_code = 0;
  int64_t elapsed_us = 0;

  // --- what the hooks asked for ---
  std::vector<std::pair<std::string, std::string>> added_headers;
  std::optional<opp::Error> rejection;                         ///< on_call
  std::optional<opp::gateway::http::OutgoingResponse> answer;  ///< on_http
};

namespace opp::gateway::plugins {

/// The host table handed to every plugin's create(); one for the process.
const opp_host* host_table();

/// The error a plugin's reject(err_code, sub_code, message) becomes: the pair when SPEC
/// §3.3 knows it, else 20000 "plugin-error" naming what the plugin sent.
Error rejection_error(int32_t err_code, std::string_view sub_code, std::string_view message);

}  // namespace opp::gateway::plugins
