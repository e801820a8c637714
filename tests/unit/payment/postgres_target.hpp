#pragma once
// The PostgreSQL the tests run against: OPP_TEST_POSTGRES_URL (e.g.
// "postgresql://host=127.0.0.1 port=5433 dbname=opp_test user=postgres", as printed by
// scripts/start-postgres.sh). Outside CI, a test whose database is not set or not
// reachable skips its PostgreSQL part with a warning naming the test. In CI (CI=true) it
// fails instead: a broken database set-up must not pass as green.

#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "test_postgres.hpp"

namespace opp::payment::testing {

using ::opp::test::running_in_ci;

/// The URL of a reachable test PostgreSQL, or nullopt after a warning naming the current
/// test (the caller then skips its PostgreSQL part). In CI the test fails here instead.
inline std::optional<std::string> postgres_url_or_skip() {
  const std::string url = ::opp::test::postgres_test_url();
  const auto problem = ::opp::test::postgres_unusable_because(url);
  if (!problem) return url;
  const std::string test = Catch::getResultCapture().getCurrentTestName();
  if (running_in_ci()) {
    FAIL("PostgreSQL part of '" << test << "' cannot run in CI: " << *problem
                                << " (see scripts/start-postgres.sh)");
  }
  WARN("SKIPPED the PostgreSQL part of '" << test << "': " << *problem
                                          << " (see scripts/start-postgres.sh)");
  return std::nullopt;
}

}  // namespace opp::payment::testing

/// Declares `var` as the test PostgreSQL URL, or leaves the test (skip outside CI, failure
/// in CI; see postgres_url_or_skip).
#define OPP_POSTGRES_URL_OR_SKIP(var)                                       \
  const auto var##_maybe = ::opp::payment::testing::postgres_url_or_skip(); \
  if (!var##_maybe) return;                                                 \
  const std::string& var = *var##_maybe
