// `opp-idl check` / `dump` as a user runs them: output and exit codes.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>

#include "idl_test_util.hpp"
#include "rapidjson/document.h"

namespace fs = std::filesystem;
using opp::idl::test::TempDir;

namespace {

struct Run {
  int exit_code = -1;
  std::string out;  ///< stdout, or stderr when `capture_stderr` is set
};

// Runs opp-idl with `args` (shell-quoted by the caller); captures stdout or stderr.
Run run(const std::string& args, bool capture_stderr = false) {
  std::string command = std::string(OPP_IDL_BINARY) + " " + args +
                        (capture_stderr ? " 2>&1 >/dev/null" : " 2>/dev/null");
  Run r;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe);
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace

TEST_CASE("opp-idl --version and --help", "[idl][cli]") {
  Run v = run("--version");
  CHECK(v.exit_code == 0);
  CHECK(v.out == std::string("opp-idl ") + OPP_VERSION + "\n");
  Run h = run("--help");
  CHECK(h.exit_code == 0);
  CHECK(h.out.find("usage: opp-idl") == 0);
}

TEST_CASE("opp-idl usage errors exit 2", "[idl][cli]") {
  CHECK(run("").exit_code == 2);
  Run unknown = run("frobnicate", true);
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.out.find("opp-idl: unknown command 'frobnicate'") == 0);
  CHECK(run("check").exit_code == 2);
  CHECK(run("dump").exit_code == 2);
  CHECK(run("dump a.thrift b.thrift").exit_code == 2);
  CHECK(run("dump a.thrift -I").exit_code == 2);
  CHECK(run("check --bogus x.thrift").exit_code == 2);
  // The message names the command and the problem, then the command's usage.
  CHECK(run("check", true).out ==
        "opp-idl check: missing DIR or FILE\nusage: opp-idl check DIR|FILE... [-I DIR]...\n");
  CHECK(run("check --bogus x.thrift", true).out.find("opp-idl check: unknown option '--bogus'\n") ==
        0);
  CHECK(run("dump a.thrift b.thrift", true).out ==
        "opp-idl dump: expected exactly one FILE\nusage: opp-idl dump FILE [-I DIR]...\n");
  CHECK(run("dump a.thrift -I", true).out.find("opp-idl dump: option -I needs a directory\n") == 0);
}

TEST_CASE("opp-idl check: silent success, one line per error", "[idl][cli]") {
  TempDir dir("opp-idl-cli-");
  std::string good = dir.write("good.thrift", "struct A { 1: i32 a }\n");
  Run ok = run("check " + good, true);
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.empty());
  std::string bad = dir.write("bad.thrift", "struct B {\n  1: Nope a\n  2: Nada b\n}\n");
  Run failed = run("check " + bad, true);
  CHECK(failed.exit_code == 1);
  CHECK(failed.out == bad + ":2:6: unknown type 'Nope'\n" + bad + ":3:6: unknown type 'Nada'\n");
  // A directory: every *.thrift directly in it.
  Run whole = run("check " + dir.path(), true);
  CHECK(whole.exit_code == 1);
  CHECK(whole.out.find("bad.thrift:2:6: unknown type 'Nope'") != std::string::npos);
  CHECK(whole.out.find("good.thrift") == std::string::npos);
}

TEST_CASE("opp-idl check: an error in a shared include is printed once", "[idl][cli]") {
  TempDir dir("opp-idl-cli-");
  std::string common = dir.write("common.thrift", "struct C { 1: Nope n }\n");
  dir.write("a.thrift", "include \"common.thrift\"\nservice A {}\n");
  dir.write("b.thrift", "include \"common.thrift\"\nservice B {}\n");
  Run r = run("check " + dir.path(), true);
  CHECK(r.exit_code == 1);
  CHECK(r.out == common + ":1:15: unknown type 'Nope'\n");
}

TEST_CASE("opp-idl dump: Thrift's JSON schema", "[idl][cli]") {
  TempDir dir("opp-idl-cli-");
  dir.write("inc.thrift", "struct Base { 1: i32 x }\n");
  fs::create_directories(fs::path(dir.path()) / "sub");
  std::string main = dir.write("sub/main.thrift",
                               "include \"inc.thrift\"\n"
                               "struct S { 1: required inc.Base b, 2: list<i32> l = [1] }\n");
  Run missing = run("dump " + main, true);
  CHECK(missing.exit_code == 1);
  CHECK(missing.out == main + ":1:9: include file 'inc.thrift' not found\n");
  Run r = run("dump " + main + " -I " + dir.path());
  REQUIRE(r.exit_code == 0);
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  CHECK(std::string(doc["name"].GetString()) == "main");
  CHECK(std::string(doc["includes"][0].GetString()) == "inc");
  const auto& field = doc["structs"][0]["fields"][0];
  CHECK(std::string(field["typeId"].GetString()) == "struct");
  CHECK(std::string(field["type"]["class"].GetString()) == "inc.Base");
  CHECK(std::string(field["required"].GetString()) == "required");
  CHECK(doc["structs"][0]["fields"][1]["default"][0].GetInt() == 1);
}
