// `opp-idl routes` as a user runs it: byte-identical to the library's output for every
// format, and its usage errors.
#include <sys/wait.h>

#include <array>
#include <cstdio>

#include "idl_test_util.hpp"
#include "routes_test_util.hpp"

using namespace opp::routes;
using namespace opp::routes::test;
using opp::idl::test::TempDir;

namespace {

struct Run {
  int exit_code = -1;
  std::string out;
};

// Runs opp-idl with `args` (shell-quoted by the caller); captures stdout or stderr.
Run run(const std::string& args, bool capture_stderr = false) {
  std::string command = std::string(OPP_IDL_BINARY) + " " + args +
                        (capture_stderr ? " 2>&1 >/dev/null" : " 2>/dev/null");
  Run r;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe);
  std::array<char, 65536> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace

TEST_CASE("opp-idl routes: byte-identical to the library, every format", "[routes][cli]") {
  for (const std::string& dir : {payment_dir(), shop_dir()}) {
    auto snapshot = opp::catalog::scan(dir);
    for (Format f : {Format::kJson, Format::kOpenApi, Format::kMarkdown, Format::kHtml}) {
      INFO(dir << " " << format_name(f));
      Run r = run("routes '" + dir + "' --format " + std::string(format_name(f)));
      CHECK(r.exit_code == 0);
      CHECK(r.out == render(*snapshot, f));
    }
  }
  // JSON is the default; --format=X works too.
  auto snapshot = opp::catalog::scan(payment_dir());
  CHECK(run("routes '" + payment_dir() + "'").out == render_routes_json(*snapshot));
  CHECK(run("routes --format=markdown '" + payment_dir() + "'").out == render_markdown(*snapshot));
}

TEST_CASE("opp-idl routes: a file that fails to load is listed, exit 0", "[routes][cli]") {
  Run r = run("routes '" + shop_dir() + "'");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("\"error\": \"broken.thrift:3:1: expected a field or ')' but found '}'\"") !=
        std::string::npos);
  CHECK(run("routes '" + shop_dir() + "'", true).out.empty());  // nothing on stderr
}

TEST_CASE("opp-idl routes: usage and input errors", "[routes][cli]") {
  const std::string usage = "usage: opp-idl routes DIR [--format json|openapi|markdown|html]\n";
  Run none = run("routes", true);
  CHECK(none.exit_code == 2);
  CHECK(none.out == "opp-idl routes: missing DIR\n" + usage);
  Run format = run("routes idl --format yaml", true);
  CHECK(format.exit_code == 2);
  CHECK(format.out ==
        "opp-idl routes: unknown format 'yaml' (json|openapi|markdown|html)\n" + usage);
  Run missing_value = run("routes idl --format", true);
  CHECK(missing_value.exit_code == 2);
  CHECK(missing_value.out == "opp-idl routes: option --format needs a value\n" + usage);
  Run option = run("routes idl --bogus", true);
  CHECK(option.exit_code == 2);
  CHECK(option.out == "opp-idl routes: unknown option '--bogus'\n" + usage);
  Run two = run("routes a b", true);
  CHECK(two.exit_code == 2);
  CHECK(two.out == "opp-idl routes: expected one DIR\n" + usage);

  TempDir dir("opp-routes-cli-");
  const std::string absent = dir.path() + "/absent";
  Run missing = run("routes '" + absent + "'", true);
  CHECK(missing.exit_code == 1);
  CHECK(missing.out == "opp-idl routes: " + absent + ": no such directory\n");
  const std::string file = dir.write("a.thrift", "service A {}\n");
  Run not_dir = run("routes '" + file + "'", true);
  CHECK(not_dir.exit_code == 1);
  CHECK(not_dir.out == "opp-idl routes: " + file + ": not a directory\n");
  CHECK(run("--help").out.find("routes DIR [--format json|openapi|markdown|html]") !=
        std::string::npos);
}
