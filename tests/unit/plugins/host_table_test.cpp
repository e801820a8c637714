// The gateway's side of the plugin ABI: what the host table reads and refuses, and how a
// plugin's rejection becomes an error of the one table.
#include <catch2/catch.hpp>

#include <string>

#include "gateway/plugins/plugin_request.hpp"
#include "hook_request.hpp"

using opp::ErrorCode;
using opp::gateway::http::Method;
using opp::gateway::plugins::host_table;
using opp::gateway::plugins::rejection_error;
using opp::plugins::testing::HookRequest;

namespace {

std::string text(opp_str s) {
  return s.data ? std::string(s.data, s.size) : "<absent>";
}

}  // namespace

TEST_CASE("host table: headers by any case, absent and empty told apart", "[plugins][host]") {
  HookRequest r(Method::kPost, "/gateway/payment?x=1", {{"Origin", "https://a"}, {"X-Empty", ""}});
  const opp_host* host = host_table();
  CHECK(host->abi_version == OPP_PLUGIN_ABI_VERSION);
  CHECK(text(host->header(r.get(), "origin")) == "https://a");
  CHECK(text(host->header(r.get(), "ORIGIN")) == "https://a");
  CHECK(text(host->header(r.get(), "x-empty")).empty());
  CHECK(host->header(r.get(), "x-empty").data != nullptr);
  CHECK(host->header(r.get(), "missing").data == nullptr);
  CHECK(text(host->path(r.get())) == "/gateway/payment");
  CHECK(text(host->http_method(r.get())) == "POST");
  CHECK(host->merchant(r.get()).data == nullptr);  // not authenticated
  r.set_form("app_id=A&biz_params=%7B%7D");
  CHECK(text(host->param(r.get(), "app_id")) == "A");
  CHECK(host->param(r.get(), "sign").data == nullptr);
}

TEST_CASE("host table: added headers with CR, LF, NUL or a colon are dropped, at most 32",
          "[plugins][host]") {
  HookRequest r(Method::kGet, "/gateway/routes");
  const opp_host* host = host_table();
  host->add_response_header(r.get(), "X-Fine", "value");
  host->add_response_header(r.get(), "X-Split", "a\r\nSet-Cookie: x=1");
  host->add_response_header(r.get(), "X-Lf", "a\nb");
  host->add_response_header(r.get(), "X-Bad\r\nName", "v");
  host->add_response_header(r.get(), "X-Colon:", "v");
  host->add_response_header(r.get(), "", "v");
  host->add_response_header(r.get(), "X-Long", std::string(5000, 'a').c_str());
  host->add_response_header(r.get(), nullptr, "v");
  REQUIRE(r.get()->added_headers.size() == 1);
  CHECK(*r.added("X-Fine") == "value");
  for (int i = 0; i < 40; ++i) host->add_response_header(r.get(), "X-N", "1");
  CHECK(r.get()->added_headers.size() == 32);
}

TEST_CASE("host table: a rejection takes its status from the error table", "[plugins][host]") {
  HookRequest r(Method::kPost, "/gateway/payment");
  host_table()->reject(r.get(), 10008, "rate-limited", "slow down");
  REQUIRE(r.get()->rejection);
  CHECK(r.get()->rejection->code == ErrorCode::kTooManyRequests);
  CHECK(opp::http_status(*r.get()->rejection) == 429);
  CHECK(opp::http_status(rejection_error(10002, "ip-not-allowed", "")) == 403);

  // A pair the table does not list is the plugin's fault: 10006 plugin-error, HTTP 500.
  for (const auto& [code, sub] :
       {std::pair{10008, "ip-not-allowed"}, std::pair{0, ""}, std::pair{12345, "made-up"}}) {
    const opp::Error error = rejection_error(code, sub, "");
    CHECK(error.code == ErrorCode::kServerHandleFail);
    CHECK(error.sub_code == "plugin-error");
    CHECK(opp::http_status(error) == 500);
  }
}

TEST_CASE("host table: a direct answer keeps a valid status, else 500", "[plugins][host]") {
  HookRequest r(Method::kOptions, "/gateway/payment");
  host_table()->respond(r.get(), 204, nullptr, nullptr, 0);
  REQUIRE(r.get()->answer);
  CHECK(r.get()->answer->status == 204);
  host_table()->respond(r.get(), 99, "text/plain", "x", 1);
  CHECK(r.get()->answer->status == 500);
  host_table()->respond(r.get(), 200, "text/plain\r\nX: y", "ok", 2);
  CHECK(r.get()->answer->content_type == "text/plain");
  CHECK(r.get()->answer->body == "ok");
}
