// The out-of-tree example plugin (examples/plugin, merchant-tag) as the gateway sees it: the
// module the CTest fixture opp_example_plugin built against the installed package only,
// dlopen()ed and driven through its opp_plugin table with the gateway's real host table.
// Its configs are made the way the gateway makes them: the entry's `config:` mapping
// re-emitted by YAML::Dump. Also the wrong-ABI test module the loader must refuse.
#include <dlfcn.h>
#include <yaml-cpp/yaml.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gateway/http/http_message.hpp"
#include "gateway/plugins/plugin_request.hpp"
#include "opp/common/error.hpp"
#include "opp/plugin.h"

namespace {

using opp::gateway::plugins::host_table;

/// A dlopen()ed module, closed at the end of the test.
struct Module {
  explicit Module(const char* path) : handle(dlopen(path, RTLD_NOW | RTLD_LOCAL)) {
    INFO("dlopen " << path << ": " << (handle ? "" : dlerror()));
    REQUIRE(handle != nullptr);
  }
  ~Module() {
    if (handle) dlclose(handle);
  }
  const opp_plugin* entry() const {
    auto fn = reinterpret_cast<opp_plugin_entry_fn>(dlsym(handle, OPP_PLUGIN_ENTRY_SYMBOL));
    REQUIRE(fn != nullptr);
    return fn();
  }
  void* handle;
};

const opp_plugin* example() {
  static Module module(OPP_EXAMPLE_PLUGIN);
  return module.entry();
}

/// What the gateway hands create() for `config: <flow_or_block_yaml>` in gateway.yaml.
std::string dumped(const std::string& gateway_yaml_config) {
  const YAML::Node entry = YAML::Load("config: " + gateway_yaml_config);
  return YAML::Dump(entry["config"]);
}

struct Created {
  void* instance = nullptr;
  std::string error;
};

Created create(const std::string& config_text, size_t buffer_size = 512) {
  std::vector<char> buffer(buffer_size, '\x7f');
  opp_error_buffer error{buffer.data(), buffer.size()};
  Created out;
  out.instance = example()->create(host_table(), config_text.data(), config_text.size(), &error);
  if (!out.instance) out.error.assign(buffer.data());
  return out;
}

/// One instance, destroyed at scope exit.
struct Instance {
  explicit Instance(const std::string& config_text) {
    Created c = create(config_text);
    INFO("config " << config_text << ": " << c.error);
    REQUIRE(c.instance != nullptr);
    instance = c.instance;
  }
  ~Instance() { example()->destroy(instance); }
  void* instance;
};

/// A merchant call as the pipeline fills it for the hooks.
struct Call {
  explicit Call(std::string_view merchant_id, std::string_view method_name) {
    http.method = opp::gateway::http::Method::kPost;
    http.target = "/gateway/payment";
    http.client_address = "127.0.0.1";
    http.request_id = "req-1";
    request.http = &http;
    request.svc = "payment";
    request.merchant = merchant_id;
    request.method = method_name;
  }
  opp::gateway::http::IncomingRequest http;
  opp_request request;
};

bool denies(void* instance, std::string_view method) {
  Call call("M1", method);
  const opp_verdict verdict = example()->on_call(instance, &call.request);
  CHECK((verdict == OPP_STOP) == call.request.rejection.has_value());
  return verdict == OPP_STOP;
}

}  // namespace

TEST_CASE("the example module is a merchant-tag plugin of this ABI", "[plugins][example]") {
  const opp_plugin* plugin = example();
  REQUIRE(plugin != nullptr);
  CHECK(plugin->abi_version == OPP_PLUGIN_ABI_VERSION);
  CHECK(std::string(plugin->name) == "merchant-tag");
  CHECK(plugin->create != nullptr);
  CHECK(plugin->destroy != nullptr);
  CHECK(plugin->on_call != nullptr);
  CHECK(plugin->on_response != nullptr);
  // Hooks it does not have cost the gateway nothing; no reconfigure: a fresh instance.
  CHECK(plugin->on_http == nullptr);
  CHECK(plugin->reconfigure == nullptr);
}

TEST_CASE("merchant-tag names the authenticated merchant on every response", "[plugins][example]") {
  Instance tag(dumped("{}"));
  for (const int status : {200, 400, 502}) {
    Call call("M-123_x", "UnifyPay");
    call.request.status = status;
    example()->on_response(tag.instance, &call.request);
    REQUIRE(call.request.added_headers.size() == 1);
    CHECK(call.request.added_headers[0].first == "X-Opp-Merchant");
    CHECK(call.request.added_headers[0].second == "M-123_x");
  }
  SECTION("no merchant (authentication failed, or not the merchant API): no header") {
    Call call("", "");
    call.request.svc = "";
    example()->on_response(tag.instance, &call.request);
    CHECK(call.request.added_headers.empty());
  }
  SECTION("a merchant id too long for the header buffer is left untagged, never cut") {
    const std::string long_id(300, 'm');
    Call call(long_id, "UnifyPay");
    example()->on_response(tag.instance, &call.request);
    CHECK(call.request.added_headers.empty());
  }
}

TEST_CASE("merchant-tag rejects the listed methods with 10001 invalid-param",
          "[plugins][example]") {
  Instance tag(dumped("{deny_methods: [Refund, CloseOrder]}"));
  Call call("M1", "Refund");
  REQUIRE(example()->on_call(tag.instance, &call.request) == OPP_STOP);
  REQUIRE(call.request.rejection.has_value());
  const opp::Error& error = *call.request.rejection;
  CHECK(error.code == opp::ErrorCode::kBadRequest);
  CHECK(error.sub_code == "invalid-param");
  CHECK(error.message == "method: Refund is not allowed on this gateway");
  CHECK(opp::http_status(error) == 400);

  CHECK(denies(tag.instance, "CloseOrder"));
  // Exact names only: no prefix, suffix or case folding.
  for (const char* other : {"UnifyPay", "Refun", "RefundX", "refund", "QueryRefund", ""})
    CHECK_FALSE(denies(tag.instance, other));
}

TEST_CASE("merchant-tag reads every form YAML::Dump gives its config", "[plugins][example]") {
  const std::vector<std::string> flow_list_forms{
      "{deny_methods: [Refund, CloseOrder]}",               // flow mapping, flow list
      "\n  deny_methods: [Refund, CloseOrder]",             // block mapping, flow list
      "\n  deny_methods:\n    - Refund\n    - CloseOrder",  // block mapping, block list
      "{deny_methods: [\"Refund\", 'CloseOrder']}",         // quotes the gateway's YAML drops
  };
  for (const std::string& form : flow_list_forms) {
    const std::string text = dumped(form);
    INFO("gateway.yaml config: " << form << "\nhanded to the plugin: " << text);
    Instance tag(text);
    CHECK(denies(tag.instance, "Refund"));
    CHECK(denies(tag.instance, "CloseOrder"));
    CHECK_FALSE(denies(tag.instance, "UnifyPay"));
  }
  // What the texts are, so a change of yaml-cpp's output shows here first.
  CHECK(dumped("{deny_methods: [A, B]}") == "{deny_methods: [A, B]}");
  CHECK(dumped("\n  deny_methods:\n    - A\n    - B") == "deny_methods:\n  - A\n  - B");

  for (const char* empty : {"{}", "{deny_methods: []}", "\n  deny_methods: []"}) {
    INFO(empty);
    Instance tag(dumped(empty));
    CHECK_FALSE(denies(tag.instance, "Refund"));
  }
  // "{}" is what the gateway passes for an entry without config; empty text reads the same.
  Instance none("");
  CHECK_FALSE(denies(none.instance, "Refund"));
  // A trailing newline (a hand-written text) is accepted too.
  Instance trailing("deny_methods:\n  - A\n");
  CHECK(denies(trailing.instance, "A"));
}

TEST_CASE("merchant-tag refuses every other config with one line naming the key",
          "[plugins][example]") {
  struct Bad {
    std::string text;
    std::string error;
  };
  const std::string not_a_form =
      "config: not a form this plugin reads (expected {deny_methods: [A, B]} or a block "
      "mapping of deny_methods; see its README)";
  const std::string expected_list =
      "deny_methods: expected a list of IDL function names, e.g. [UnifyPay, Refund]";
  const std::vector<Bad> cases{
      {dumped("{header: X-Tag}"), "header: unknown key (this plugin reads only deny_methods)"},
      {dumped("{deny_methods: [A], other: 1}"),
       "other: unknown key (this plugin reads only deny_methods)"},
      {dumped("\n  deny_methods: [A]\n  other: 1"),
       "other: unknown key (this plugin reads only deny_methods)"},
      {dumped("\n  deny_methods:\n    - A\n  other: 1"),
       "other: unknown key (this plugin reads only deny_methods)"},
      {dumped("{deny_methods: Refund}"), expected_list},
      {dumped("\n  deny_methods: Refund"), expected_list},
      {dumped("{deny_methods: ~}"), expected_list},
      {dumped("{deny_methods: {a: 1}}"), expected_list},
      {dumped("{deny_methods: [[A]]}"),
       "deny_methods[0]: expected an IDL function name ([A-Za-z_][A-Za-z0-9_]*)"},
      {dumped("{deny_methods: [A, \"#x\"]}"),
       "deny_methods[1]: expected an IDL function name ([A-Za-z_][A-Za-z0-9_]*)"},
      {dumped("{deny_methods: [A, \"\"]}"),
       "deny_methods[1]: expected an IDL function name ([A-Za-z_][A-Za-z0-9_]*)"},
      {dumped("{deny_methods: [A, 1abc]}"),
       "deny_methods[1]: expected an IDL function name ([A-Za-z_][A-Za-z0-9_]*)"},
      {dumped("\n  deny_methods:\n    - A\n    - Pay Now"),
       "deny_methods[1]: expected an IDL function name ([A-Za-z_][A-Za-z0-9_]*)"},
      {dumped("\n  deny_methods:\n    - [A]"),
       "deny_methods[0]: expected an IDL function name ([A-Za-z_][A-Za-z0-9_]*)"},
      {dumped("{deny_methods: [A, B, A]}"), "deny_methods[2]: A is listed twice"},
      // Texts YAML::Dump does not make, written by hand.
      {"{deny_methods: [A], deny_methods: [B]}", "deny_methods: given twice"},
      {"[A, B]", not_a_form},
      {"Refund", not_a_form},
      {"{} x", "config: text after the mapping"},
      {"{deny_methods: [A, B]", "config: the mapping {...} is not closed"},
      {"{deny_methods: [A, B", "deny_methods: the list [A, B] is not closed on its line"},
      {"{deny_methods: [A, B\n]}", "deny_methods: the list [A, B] is not closed on its line"},
      {"deny_methods:", expected_list},
      {"deny_methods:\n", expected_list},
      {"deny_methods:\nother: 1", expected_list},
  };
  for (const Bad& bad : cases) {
    INFO("config text: " << bad.text);
    const Created c = create(bad.text);
    CHECK(c.instance == nullptr);
    CHECK(c.error == bad.error);
    if (c.instance) example()->destroy(c.instance);
  }
}

TEST_CASE("merchant-tag's error line fits the host's buffer, NUL-terminated",
          "[plugins][example]") {
  const Created c = create(dumped("{other: 1}"), 8);
  CHECK(c.instance == nullptr);
  CHECK(c.error == "other: ");  // 7 bytes and the NUL
}

TEST_CASE("merchant-tag holds thousands of names and finds each", "[plugins][example]") {
  std::string flow = "{deny_methods: [";
  for (int i = 0; i < 5000; ++i) flow += (i ? ", M" : "M") + std::to_string(i);
  flow += "]}";
  Instance tag(dumped(flow));
  CHECK(denies(tag.instance, "M0"));
  CHECK(denies(tag.instance, "M2500"));
  CHECK(denies(tag.instance, "M4999"));
  CHECK_FALSE(denies(tag.instance, "M5000"));
  // A method name of 1 MiB is looked up without a copy.
  const std::string huge(1 << 20, 'M');
  CHECK_FALSE(denies(tag.instance, huge));
}

TEST_CASE("merchant-tag's rejection message stays short for a huge method name",
          "[plugins][example]") {
  const std::string name(100000, 'N');
  Instance tag(dumped("{deny_methods: [" + name + "]}"));
  Call call("M1", name);
  REQUIRE(example()->on_call(tag.instance, &call.request) == OPP_STOP);
  REQUIRE(call.request.rejection.has_value());
  CHECK(call.request.rejection->message.size() < 200);
  CHECK(call.request.rejection->message.rfind("method: NNNN", 0) == 0);
}

TEST_CASE("merchant-tag's hooks run concurrently on one instance", "[plugins][example]") {
  Instance tag(dumped("{deny_methods: [Refund]}"));
  constexpr int kThreads = 4;
  constexpr int kCalls = 20000;
  std::atomic<int> rejected{0}, passed{0}, tagged{0}, wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string merchant = "M" + std::to_string(t);
      for (int i = 0; i < kCalls; ++i) {
        const bool deny = i % 2 == 0;
        Call call(merchant, deny ? "Refund" : "UnifyPay");
        const opp_verdict verdict = example()->on_call(tag.instance, &call.request);
        if ((verdict == OPP_STOP) != deny || call.request.rejection.has_value() != deny)
          wrong++;
        else if (deny)
          rejected++;
        else
          passed++;
        example()->on_response(tag.instance, &call.request);
        if (call.request.added_headers.size() == 1 &&
            call.request.added_headers[0].second == merchant)
          tagged++;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(wrong == 0);
  CHECK(rejected == kThreads * kCalls / 2);
  CHECK(passed == kThreads * kCalls / 2);
  CHECK(tagged == kThreads * kCalls);
}

TEST_CASE("the wrong-ABI test module announces the next ABI version", "[plugins][example]") {
  // The loader's refusal test relies on this module being exactly one ABI ahead.
  Module module(OPP_WRONG_ABI_PLUGIN);
  const opp_plugin* plugin = module.entry();
  REQUIRE(plugin != nullptr);
  CHECK(plugin->abi_version == OPP_PLUGIN_ABI_VERSION + 1);
}
