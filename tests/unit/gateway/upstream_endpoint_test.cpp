// Endpoint choice and passive health, on explicit clock values (no sleeping).
#include <catch2/catch.hpp>

#include "gateway/upstream/endpoint.hpp"

using namespace opp::gateway;
using namespace opp::gateway::upstream;
using std::chrono::milliseconds;

namespace {

std::vector<config::HostPort> addresses(std::initializer_list<uint16_t> ports) {
  std::vector<config::HostPort> out;
  for (uint16_t p : ports) out.push_back({"127.0.0.1", p});
  return out;
}

std::vector<size_t> picks(const EndpointSet& set, size_t n, Clock::time_point now,
                          const Endpoint* avoid = nullptr) {
  size_t cursor = 0;
  std::vector<size_t> out;
  for (size_t i = 0; i < n; ++i) out.push_back(set.pick(cursor, now, avoid));
  return out;
}

}  // namespace

TEST_CASE("pick goes round robin", "[upstream][endpoint]") {
  EndpointSet set(addresses({1, 2, 3}), nullptr);
  CHECK(picks(set, 7, Clock::now()) == std::vector<size_t>{0, 1, 2, 0, 1, 2, 0});
}

TEST_CASE("pick skips an ejected endpoint until its rest is over", "[upstream][endpoint]") {
  EndpointSet set(addresses({1, 2, 3}), nullptr);
  const auto t0 = Clock::now();
  set[1]->eject(t0, milliseconds(5000));
  CHECK(set[1]->ejected(t0));
  CHECK(set[1]->ejected(t0 + milliseconds(4999)));
  CHECK_FALSE(set[1]->ejected(t0 + milliseconds(5000)));
  CHECK(picks(set, 4, t0 + milliseconds(10)) == std::vector<size_t>{0, 2, 0, 2});
  CHECK(picks(set, 3, t0 + milliseconds(5000)) == std::vector<size_t>{0, 1, 2});
}

TEST_CASE("when every endpoint is ejected, pick still goes round robin", "[upstream][endpoint]") {
  EndpointSet set(addresses({1, 2}), nullptr);
  const auto t0 = Clock::now();
  set[0]->eject(t0, milliseconds(5000));
  set[1]->eject(t0, milliseconds(5000));
  CHECK(picks(set, 4, t0) == std::vector<size_t>{0, 1, 0, 1});
}

TEST_CASE("pick avoids the endpoint a retry must not use", "[upstream][endpoint]") {
  EndpointSet set(addresses({1, 2, 3}), nullptr);
  const auto now = Clock::now();
  CHECK(picks(set, 4, now, set[0].get()) == std::vector<size_t>{1, 2, 1, 2});
  set[1]->eject(now, milliseconds(100));
  set[2]->eject(now, milliseconds(100));
  // Every other endpoint ejected: still not the avoided one.
  CHECK(picks(set, 2, now, set[0].get()) == std::vector<size_t>{1, 2});
  // A single endpoint is returned even when avoided (the caller decides not to retry).
  EndpointSet one(addresses({9}), nullptr);
  CHECK(picks(one, 2, now, one[0].get()) == std::vector<size_t>{0, 0});
}

TEST_CASE("a rebuilt set keeps the endpoints that remain, with their health",
          "[upstream][endpoint]") {
  EndpointSet before(addresses({1, 2}), nullptr);
  const auto now = Clock::now();
  before[1]->eject(now, milliseconds(5000));
  before[1]->count_failure(FailureKind::kTimeout);
  EndpointSet after(addresses({2, 3, 2}), &before);
  REQUIRE(after.size() == 2);  // the duplicate is listed once
  CHECK(after[0].get() == before[1].get());
  CHECK(after[0]->ejected(now));
  CHECK(after[0]->failures()[static_cast<size_t>(FailureKind::kTimeout)] == 1);
  CHECK(after[1]->name() == "127.0.0.1:3");
  CHECK_FALSE(after[1]->ejected(now));
}

TEST_CASE("failure kinds map to stable codes and sub_codes", "[upstream][errors]") {
  struct Row {
    FailureKind kind;
    opp::ErrorCode code;
    const char* sub_code;
  };
  for (const Row& row :
       {Row{FailureKind::kUnavailable, opp::ErrorCode::kRequestServerFail, "upstream-unavailable"},
        Row{FailureKind::kTimeout, opp::ErrorCode::kRequestServerFail, "upstream-timeout"},
        Row{FailureKind::kReset, opp::ErrorCode::kRequestServerFail, "upstream-reset"},
        Row{FailureKind::kSaturated, opp::ErrorCode::kRequestServerFail, "upstream-saturated"},
        Row{FailureKind::kBadReply, opp::ErrorCode::kResponseUnableParse, "bad-upstream-reply"}}) {
    auto e = make_error(row.kind, "what happened");
    CHECK(e.code == row.code);
    CHECK(e.sub_code == row.sub_code);
    CHECK(e.message == "what happened");
    CHECK(sub_code(row.kind) == row.sub_code);
  }
}
