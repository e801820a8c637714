// The request-log plugin through its opp_plugin table and the gateway's host table: the
// line's fields, redaction at any depth, `sign` never written, biz_params that is not
// JSON never written raw, rotation by size with a bounded file count, a blocked file that
// makes lines drop (counted and reported) without blocking the hooks, many threads whose
// lines never interleave, reconfigure, every bad config.
#include <catch2/catch.hpp>

#include <rapidjson/document.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "hook_request.hpp"
#include "request-log/request_log.hpp"

namespace fs = std::filesystem;
using opp::gateway::http::Method;
using opp::plugins::testing::create_error;
using opp::plugins::testing::HookRequest;
using opp::plugins::testing::Instance;

namespace {

const opp_plugin* plugin() {
  return opp::plugins::request_log_plugin();
}

constexpr const char* kSign = "c2lnbmF0dXJlLXRoYXQtbXVzdC1uZXZlci1iZS1sb2dnZWQ";

// A fresh directory, removed at scope exit.
struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("opp-request-log-" + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& name = "requests.log") const {
    return (path / name).string();
  }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

rapidjson::Document parse(const std::string& line) {
  rapidjson::Document doc;
  doc.Parse(line.data(), line.size());
  INFO(line);
  REQUIRE_FALSE(doc.HasParseError());
  REQUIRE(doc.IsObject());
  return doc;
}

std::string form_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// A merchant call as the gateway hands it to on_response.
struct Call {
  HookRequest request{Method::kPost, "/gateway/payment"};
  explicit Call(std::string_view biz_params, std::string request_id = "rid-1") {
    request.http.request_id = std::move(request_id);
    request.set_form(
        "merchant_id=M1&method=query&timestamp=1700000000&nonce_str=abcdefgh12&sign_type=HMAC-"
        "SHA256&sign=" +
        std::string(kSign) + "&biz_params=" + form_encode(biz_params));
    request.request.merchant = "M1";
    request.request.svc = "payment";
    request.request.method = "QueryOrder";
    request.request.status = 200;
    request.request.err_code = 0;
    request.request.elapsed_us = 1234;
  }
  opp_request* get() { return request.get(); }
};

std::string yaml_for(const std::string& path, const std::string& extra = "") {
  return "path: '" + path + "'\n" + extra;
}

// Captures what the host table's log writes (std::cerr) while alive.
struct CapturedLog {
  std::stringstream text;
  std::streambuf* old;
  CapturedLog() : old(std::cerr.rdbuf(text.rdbuf())) {}
  ~CapturedLog() { std::cerr.rdbuf(old); }
};

}  // namespace

TEST_CASE("request-log: the plugin table", "[plugins][request-log]") {
  CHECK(plugin()->abi_version == OPP_PLUGIN_ABI_VERSION);
  CHECK(std::string(plugin()->name) == "request-log");
  CHECK(plugin()->reconfigure != nullptr);
  CHECK(plugin()->on_response != nullptr);
  CHECK(plugin()->on_http == nullptr);
  CHECK(plugin()->on_call == nullptr);
}

TEST_CASE("request-log: one JSON line per merchant call, never the sign",
          "[plugins][request-log]") {
  TempDir dir;
  {
    Instance log(plugin(), yaml_for(dir.file()));
    Call call(R"({"out_order_no":"A-1","amount":12.50,"big":123456789012345678901234567890})");
    call.request.request.err_code = 20002;
    log.on_response(call.get());
  }
  const std::string text = slurp(dir.file());
  const std::vector<std::string> lines = lines_of(text);
  REQUIRE(lines.size() == 1);
  CHECK(text.back() == '\n');
  const rapidjson::Document doc = parse(lines[0]);
  CHECK(std::regex_match(doc["time"].GetString(),
                         std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
  CHECK(std::string(doc["request_id"].GetString()) == "rid-1");
  CHECK(std::string(doc["client"].GetString()) == "127.0.0.1");
  CHECK(std::string(doc["merchant"].GetString()) == "M1");
  CHECK(std::string(doc["svc"].GetString()) == "payment");
  CHECK(std::string(doc["method"].GetString()) == "QueryOrder");
  CHECK(doc["status"].GetInt() == 200);
  CHECK(doc["err_code"].GetInt() == 20002);
  CHECK(doc["elapsed_us"].GetInt64() == 1234);
  const auto& params = doc["params"];
  CHECK(std::string(params["merchant_id"].GetString()) == "M1");
  CHECK(std::string(params["method"].GetString()) == "query");
  CHECK(std::string(params["timestamp"].GetString()) == "1700000000");
  CHECK(std::string(params["nonce_str"].GetString()) == "abcdefgh12");
  CHECK(std::string(params["sign_type"].GetString()) == "HMAC-SHA256");
  CHECK_FALSE(params.HasMember("sign"));
  CHECK(text.find(kSign) == std::string::npos);
  REQUIRE(params["biz_params"].IsObject());
  CHECK(std::string(params["biz_params"]["out_order_no"].GetString()) == "A-1");
  // Numbers keep their text: no trip through double.
  CHECK(lines[0].find(R"("amount":12.50,"big":123456789012345678901234567890})") !=
        std::string::npos);
}

TEST_CASE("request-log: listed fields are masked at any depth", "[plugins][request-log]") {
  TempDir dir;
  const std::string biz = R"({"card_no":"4111111111111111","ok":"kept \u00e9 测试","items":[)"
                          R"({"password":"hunter2","qty":2},)"
                          R"({"nested":{"card_no":{"deep":"s3cr3t-object","list":[1,2]}}},)"
                          R"([[{"password":["s3cr3t-array"]}]]],"card_no_hint":"1111",)"
                          R"("after":{"password":null}})";
  {
    Instance log(plugin(), yaml_for(dir.file(), "redact_fields: [card_no, password]"));
    Call call(biz);
    log.on_response(call.get());
  }
  const std::string text = slurp(dir.file());
  for (const char* secret : {"4111111111111111", "hunter2", "s3cr3t-object", "s3cr3t-array"})
    CHECK(text.find(secret) == std::string::npos);
  const rapidjson::Document doc = parse(lines_of(text).at(0));
  const auto& b = doc["params"]["biz_params"];
  CHECK(std::string(b["card_no"].GetString()) == "***");
  CHECK(std::string(b["ok"].GetString()) == "kept \u00e9 测试");
  CHECK(std::string(b["items"][0]["password"].GetString()) == "***");
  CHECK(b["items"][0]["qty"].GetInt() == 2);
  CHECK(std::string(b["items"][1]["nested"]["card_no"].GetString()) == "***");
  CHECK(std::string(b["items"][2][0][0]["password"].GetString()) == "***");
  CHECK(std::string(b["card_no_hint"].GetString()) == "1111");  // whole names only
  CHECK(std::string(b["after"]["password"].GetString()) == "***");
}

TEST_CASE("request-log: biz_params that is not JSON, too deep or too large is never written",
          "[plugins][request-log]") {
  TempDir dir;
  const std::string deep = std::string(100, '[') + "\"deep-secret\"" + std::string(100, ']');
  // Deep inside a masked value too: the parser must not recurse 30000 levels there.
  const std::string masked_deep =
      R"({"card_no":)" + std::string(16000, '[') + std::string(16000, ']') + "}";
  const std::string large = R"({"x":")" + std::string(40 * 1024, 'L') + "\"}";
  const std::vector<std::string> inputs = {
      R"({"card_no":"4111-truncated")",  // unterminated
      R"({"a":1} {"card_no":"4111-trailing"})",
      "card_no=4111-not-json",
      deep,
      large,
      "",
      masked_deep,
  };
  {
    Instance log(plugin(), yaml_for(dir.file(), "redact_fields: [card_no]"));
    for (const std::string& input : inputs) {
      Call call(input);
      log.on_response(call.get());
    }
  }
  const std::string text = slurp(dir.file());
  for (const char* raw : {"4111", "deep-secret", "LLLLLLLL"})
    CHECK(text.find(raw) == std::string::npos);
  const std::vector<std::string> lines = lines_of(text);
  REQUIRE(lines.size() == inputs.size());
  auto marker = [&](size_t i) {
    const rapidjson::Document doc = parse(lines[i]);
    REQUIRE(doc["params"]["biz_params"].IsString());
    return std::string(doc["params"]["biz_params"].GetString());
  };
  CHECK(marker(0).find("not valid JSON") != std::string::npos);
  CHECK(marker(1).find("not valid JSON") != std::string::npos);
  CHECK(marker(2).find("not valid JSON") != std::string::npos);
  CHECK(marker(3).find("nested deeper than 64") != std::string::npos);
  CHECK(marker(4).find("over the 32768-byte limit") != std::string::npos);
  CHECK(marker(5).empty());
  CHECK(marker(6).find("nested deeper than 64") != std::string::npos);
}

TEST_CASE("request-log: only merchant calls are logged", "[plugins][request-log]") {
  TempDir dir;
  {
    Instance log(plugin(), yaml_for(dir.file()));
    for (auto [method, path] :
         {std::pair{Method::kGet, "/healthz"}, std::pair{Method::kGet, "/gateway/routes"},
          std::pair{Method::kOptions, "/gateway/payment"},
          std::pair{Method::kPost, "/gateway/a/b"}}) {
      HookRequest r(method, path);
      r.request.status = 200;
      log.on_response(r.get());
    }
    // An unknown svc: the gateway answers 10003 before it knows a merchant or a method.
    HookRequest unknown(Method::kPost, "/gateway/nope");
    unknown.request.status = 404;
    unknown.request.err_code = 10003;
    log.on_response(unknown.get());
  }
  const std::vector<std::string> lines = lines_of(slurp(dir.file()));
  REQUIRE(lines.size() == 1);
  const rapidjson::Document doc = parse(lines[0]);
  CHECK(std::string(doc["svc"].GetString()) == "nope");
  CHECK(doc["merchant"].IsNull());
  CHECK(doc["method"].IsNull());
  CHECK(doc["err_code"].GetInt() == 10003);
  CHECK(doc["params"].ObjectEmpty());
}

TEST_CASE("request-log: strings are bounded and stay valid UTF-8", "[plugins][request-log]") {
  TempDir dir;
  {
    Instance log(plugin(), yaml_for(dir.file()));
    HookRequest r(Method::kPost, "/gateway/bad\xff\xfe" + std::string(1000, 's'));
    log.on_response(r.get());
  }
  const std::string text = slurp(dir.file());
  const rapidjson::Document doc = parse(lines_of(text).at(0));
  const std::string svc = doc["svc"].GetString();
  CHECK(svc.rfind("bad\xEF\xBF\xBD\xEF\xBF\xBD", 0) == 0);
  CHECK(svc.size() <= 256);
  CHECK(text.find('\xff') == std::string::npos);
}

TEST_CASE("request-log: the file is rotated by size and the number of files is bounded",
          "[plugins][request-log]") {
  TempDir dir;
  const std::string path = dir.file();
  constexpr int kCalls = 200;
  {
    Instance log(plugin(), yaml_for(path, "max_bytes: 4096\nmax_files: 3"));
    for (int i = 0; i < kCalls; ++i) {
      Call call(R"({"n":)" + std::to_string(i) + "}", "rid-" + std::to_string(i));
      log.on_response(call.get());
    }
  }
  CHECK(fs::exists(path));
  CHECK(fs::exists(path + ".1"));
  CHECK(fs::exists(path + ".2"));
  CHECK(fs::exists(path + ".3"));
  CHECK_FALSE(fs::exists(path + ".4"));
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir.path)) files += entry.is_regular_file();
  CHECK(files == 4);
  // Oldest to newest, the kept lines are the last ones, in order, none cut.
  std::vector<int> ids;
  for (const std::string& name : {path + ".3", path + ".2", path + ".1", path}) {
    CHECK(fs::file_size(name) <= 4096);
    if (name != path) CHECK(fs::file_size(name) > 4096 - 512);  // rotated when full, not early
    for (const std::string& line : lines_of(slurp(name))) {
      const rapidjson::Document doc = parse(line);
      ids.push_back(std::stoi(std::string(doc["request_id"].GetString()).substr(4)));
    }
  }
  REQUIRE_FALSE(ids.empty());
  CHECK(ids.back() == kCalls - 1);
  for (size_t i = 1; i < ids.size(); ++i) CHECK(ids[i] == ids[i - 1] + 1);
}

TEST_CASE("request-log: an existing file's size counts toward max_bytes",
          "[plugins][request-log]") {
  TempDir dir;
  const std::string path = dir.file();
  std::ofstream(path) << std::string(4000, 'o') << '\n';
  {
    Instance log(plugin(), yaml_for(path, "max_bytes: 4096"));
    Call call("{}");
    log.on_response(call.get());
  }
  CHECK(fs::file_size(path + ".1") == 4001);
  CHECK(lines_of(slurp(path)).size() == 1);
}

TEST_CASE("request-log: a file that is not a regular file is never rotated",
          "[plugins][request-log]") {
  // A pipe (as /dev/stdout or a FIFO would be): renaming it would rename the device.
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const std::string path = "/dev/fd/" + std::to_string(fds[1]);
  std::string drained, reports;
  std::thread drain([&, fd = fds[0]] {
    char buffer[65536];
    for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) drained.append(buffer, n);
  });
  {
    CapturedLog captured;
    {
      Instance log(plugin(), yaml_for(path, "max_bytes: 4096"));
      for (int i = 0; i < 100; ++i) {
        Call call(R"({"n":)" + std::to_string(i) + "}");
        log.on_response(call.get());
      }
    }
    reports = captured.text.str();
  }
  close(fds[1]);
  drain.join();
  close(fds[0]);
  CHECK(lines_of(drained).size() == 100);
  CHECK(drained.size() > 4096 * 4);
  CHECK(reports.find("rotate") == std::string::npos);
  CHECK_FALSE(fs::exists(path + ".1"));
}

TEST_CASE("request-log: a file nobody drains drops and counts lines, never blocks the hooks",
          "[plugins][request-log]") {
  // A pipe nobody reads fills after 64 KiB: the writer thread blocks, the hooks must not.
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const std::string path = "/dev/fd/" + std::to_string(fds[1]);
  const std::string biz = R"({"blob":")" + std::string(20 * 1024, 'b') + "\"}";
  constexpr int kCalls = 1200;  // 24 MiB of lines against an 8 MiB queue
  std::string drained;
  std::string reports;
  {
    CapturedLog captured;
    {
      Instance log(plugin(), yaml_for(path));
      const auto started = std::chrono::steady_clock::now();
      for (int i = 0; i < kCalls; ++i) {
        Call call(biz, "rid-" + std::to_string(i));
        log.on_response(call.get());
      }
      CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(30));
      std::thread drain([&, fd = fds[0]] {
        char buffer[65536];
        for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) drained.append(buffer, n);
      });
      log.reset();  // flushes what was queued, then closes its descriptor
      close(fds[1]);
      drain.join();
      close(fds[0]);
    }
    reports = captured.text.str();
  }
  INFO(reports);
  const std::vector<std::string> lines = lines_of(drained);
  for (const std::string& line : lines) parse(line);  // whole lines only
  uint64_t reported = 0;
  size_t messages = 0;
  const std::regex dropped(R"(plugin request-log: warn: dropped (\d+) lines)");
  for (auto it = std::sregex_iterator(reports.begin(), reports.end(), dropped);
       it != std::sregex_iterator(); ++it, ++messages)
    reported += std::stoull((*it)[1]);
  CHECK(reported > 0);
  CHECK(lines.size() + reported == kCalls);  // every line is written or counted
  CHECK(messages >= 1);
  CHECK(messages <= 5);  // one at the first drop, one at exit, a few if the test is slow
}

TEST_CASE("request-log: lines from many threads never interleave", "[plugins][request-log]") {
  TempDir dir;
  constexpr int kThreads = 4, kCalls = 1500;  // ~2 MiB: never more than the queue holds
  {
    Instance log(plugin(), yaml_for(dir.file(), "redact_fields: [pin]"));
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < kCalls; ++i) {
          const std::string id = std::to_string(t) + "-" + std::to_string(i);
          Call call(R"({"pin":"p)" + id + R"(","pad":")" + std::string(i % 50, 'x') + "\"}",
                    "rid-" + id);
          log.on_response(call.get());
        }
      });
    for (auto& thread : threads) thread.join();
  }
  const std::string text = slurp(dir.file());
  CHECK(text.find("\"p0-") == std::string::npos);  // masked on every thread
  std::set<std::string> ids;
  size_t count = 0;
  for (const std::string& line : lines_of(text)) {
    const rapidjson::Document doc = parse(line);
    ++count;
    const std::string id = doc["request_id"].GetString();
    ids.insert(id);
    const int i = std::stoi(id.substr(id.find('-', 4) + 1));
    CHECK(std::string(doc["params"]["biz_params"]["pad"].GetString()).size() ==
          static_cast<size_t>(i % 50));
  }
  CHECK(count == kThreads * kCalls);
  CHECK(ids.size() == kThreads * kCalls);
}

TEST_CASE("request-log: reconfigure switches file and redaction; a bad one keeps the old",
          "[plugins][request-log]") {
  TempDir dir;
  const std::string a = dir.file("a.log"), b = dir.file("b.log");
  std::string reconfigure_error;
  {
    Instance log(plugin(), yaml_for(a));
    Call first(R"({"pin":"1111"})", "rid-first");
    log.on_response(first.get());
    CHECK(log.reconfigure(yaml_for(b, "redact_fields: [pin]")).empty());
    Call second(R"({"pin":"2222"})", "rid-second");
    log.on_response(second.get());
    reconfigure_error = log.reconfigure(yaml_for("/dev/null/x/c.log"));
    Call third(R"({"pin":"3333"})", "rid-third");
    log.on_response(third.get());
  }
  CHECK(reconfigure_error.rfind("path: cannot open /dev/null/x/c.log", 0) == 0);
  const std::string in_a = slurp(a), in_b = slurp(b);
  // The first line was queued before the switch: it is in one of the two files.
  CHECK((in_a.find("rid-first") != std::string::npos) !=
        (in_b.find("rid-first") != std::string::npos));
  CHECK(in_b.find("rid-second") != std::string::npos);
  CHECK(in_b.find("rid-third") != std::string::npos);
  CHECK((in_a + in_b).find("2222") == std::string::npos);
  CHECK((in_a + in_b).find("3333") == std::string::npos);
}

TEST_CASE("request-log: every bad config is one line naming the key, and no instance",
          "[plugins][request-log]") {
  TempDir dir;
  const std::string ok = "path: '" + dir.file() + "'\n";
  struct Case {
    std::string yaml;
    std::string error_start;
  };
  const std::vector<Case> cases = {
      {"{}", "path: required"},
      {"path: [a]", "path: expected a string"},
      {"path: ''", "path: expected a file name"},
      {"path: /dev/null/x/requests.log",
       "path: cannot open /dev/null/x/requests.log for appending: "},
      {"path: '" + dir.path.string() + "'", "path: cannot open " + dir.path.string()},
      {ok + "max_bytes: 100", "max_bytes: expected a whole number of bytes from 4096"},
      {ok + "max_bytes: -1", "max_bytes: expected a whole number"},
      {ok + "max_bytes: 5000.5", "max_bytes: expected a whole number"},
      {ok + "max_bytes: big", "max_bytes: expected a whole number"},
      {ok + "max_files: 0", "max_files: expected a whole number of files from 1 to 100"},
      {ok + "max_files: 101", "max_files: expected a whole number"},
      {ok + "max_files: [1]", "max_files: expected a whole number"},
      {ok + "redact_fields: pin", "redact_fields: expected a list"},
      {ok + "redact_fields: [pin, '']", "redact_fields[1]: expected a field name"},
      {ok + "redact_fields: [{a: b}]", "redact_fields[0]: expected a string"},
      {ok + "rotate: daily", "rotate: unknown key"},
      {"path: [", "config: line"},
  };
  for (const Case& c : cases) {
    INFO(c.yaml);
    const std::string error = create_error(plugin(), c.yaml);
    CHECK(error.rfind(c.error_start, 0) == 0);
    CHECK(error.find('\n') == std::string::npos);
  }
  CHECK_FALSE(fs::exists(dir.file()));  // no case got far enough to open it
}
