// Settings resolved from UpstreamConfig, and the split of the pool bounds over io threads.
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>

#include "gateway/upstream/settings.hpp"

using namespace opp::gateway;
using namespace opp::gateway::upstream;

TEST_CASE("settings take the configuration, max_pending defaults to 4 x max_connections",
          "[upstream][settings]") {
  config::UpstreamConfig c;
  c.transport = config::Transport::kBuffered;
  c.protocol = config::Protocol::kCompact;
  c.connect_timeout_ms = 10;
  c.timeout_ms = 20;
  c.eject_ms = 30;
  c.max_connections = 5;
  ClientOptions options;
  options.pipeline_depth = 0;  // means 1
  auto s = Settings::from(c, options);
  CHECK(s->transport == config::Transport::kBuffered);
  CHECK(s->protocol == opp::codec::Protocol::kCompact);
  CHECK(s->connect_timeout.count() == 10);
  CHECK(s->timeout.count() == 20);
  CHECK(s->eject.count() == 30);
  CHECK(s->max_connections == 5);
  CHECK(s->max_pending == 20);
  CHECK(s->options.pipeline_depth == 1);
  c.max_pending = 7;
  CHECK(Settings::from(c, options)->max_pending == 7);
  c.max_connections = 0;  // at least one
  CHECK(Settings::from(c, options)->max_connections == 1);
}

TEST_CASE("shares split a bound over io threads without exceeding it", "[upstream][settings]") {
  for (uint32_t total : {0u, 1u, 3u, 64u, 65u, 1000u}) {
    for (size_t parts : {size_t{1}, size_t{2}, size_t{3}, size_t{8}}) {
      std::vector<uint32_t> shares;
      for (size_t i = 0; i < parts; ++i) shares.push_back(share_of(total, parts, i));
      CHECK(std::accumulate(shares.begin(), shares.end(), 0u) == total);
      const auto [lo, hi] = std::minmax_element(shares.begin(), shares.end());
      CHECK(*hi - *lo <= 1);
    }
  }
  // Fewer than threads: the first threads get one each.
  CHECK(share_of(2, 4, 0) == 1);
  CHECK(share_of(2, 4, 1) == 1);
  CHECK(share_of(2, 4, 2) == 0);
}
