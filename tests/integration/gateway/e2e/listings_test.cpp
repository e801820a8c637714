// The route listings as the gateway serves them: the same bytes `opp-idl routes` prints
// for the same directory, and they follow a reload.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <thread>

#include "platform.hpp"

using namespace opp::gateway::e2e;
using namespace std::chrono_literals;

TEST_CASE("e2e: listings are byte-identical to opp-idl routes and follow reloads", "[e2e]") {
  TempDir idl("opp-gateway-listing-idl-");
  std::filesystem::copy(std::string(OPP_SOURCE_DIR) + "/idl", idl.path(),
                        std::filesystem::copy_options::recursive);
  PlatformOptions options;
  options.idl_dir = idl.path().string();
  Platform platform(options);
  platform.start_gateway();

  struct Listing {
    const char* path;
    const char* format;
    const char* content_type;
  };
  for (const Listing& l : {Listing{"/gateway/routes", "json", "application/json"},
                           Listing{"/gateway/openapi.json", "openapi", "application/json"},
                           Listing{"/gateway/docs", "html", "text/html"}}) {
    INFO(l.path);
    auto served = platform.http->get(l.path);
    CHECK(served.status == 200);
    CHECK(served.header("content-type").rfind(l.content_type, 0) == 0);
    auto printed = run_command(
        OPP_IDL_BINARY, {"routes", idl.path().string(), "--format", l.format}, platform.dir.path());
    REQUIRE(printed.exit_code == 0);
    CHECK(served.body == printed.out);
    CHECK(served.body.find("queryorder") != std::string::npos);
  }

  // A new service shows up in the listings once the reload published it.
  idl.write("lab.thrift", "/** The lab. */\nservice Lab { string Ping() }\n");
  HttpResponse routes;
  for (int i = 0; i < 80; ++i) {
    routes = platform.http->get("/gateway/routes");
    if (routes.body.find("\"Lab\"") != std::string::npos) break;
    std::this_thread::sleep_for(50ms);
  }
  CHECK(routes.body.find("\"Lab\"") != std::string::npos);
  auto printed = run_command(OPP_IDL_BINARY, {"routes", idl.path().string(), "--format", "json"},
                             platform.dir.path());
  CHECK(routes.body == printed.out);
}
