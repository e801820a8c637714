#pragma once
// The PostgreSQL the tests run against: OPP_TEST_POSTGRES_URL (e.g.
// "postgresql://host=127.0.0.1 port=5433 dbname=opp_test user=postgres", as printed by
// scripts/start-postgres.sh). Outside CI, a test whose database is not set or not
// reachable skips its PostgreSQL part with a warning naming the test. In CI (CI=true) it
// fails instead: a broken database set-up must not pass as green.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <exception>
#include <optional>
#include <string>

#include "payment/infrastructure/sql/database.hpp"

namespace opp::payment::testing {

/// True when the environment says this is a CI run (CI=true, as CI services set it).
inline bool running_in_ci() {
  const char* ci = std::getenv("CI");
  if (ci == nullptr) return false;
  const std::string value = ci;
  return !value.empty() && value != "0" && value != "false";
}

/// Why OPP_TEST_POSTGRES_URL cannot be used (unset, malformed, unreachable); nullopt when
/// a connection to it opens.
inline std::optional<std::string> postgres_unusable_because(const char* url) {
  if (url == nullptr || *url == '\0') return std::string("OPP_TEST_POSTGRES_URL is not set");
  auto target = parse_database_url(url, "/");
  if (!target) return "OPP_TEST_POSTGRES_URL: " + target.error().message;
  if (target.value().dialect != Dialect::kPostgres) {
    return std::string("OPP_TEST_POSTGRES_URL is not a postgresql:// URL");
  }
  try {
    Database probe(target.value(), 1);
  } catch (const std::exception& e) {
    return std::string("cannot connect to OPP_TEST_POSTGRES_URL: ") + e.what();
  }
  return std::nullopt;
}

/// The URL of a reachable test PostgreSQL, or nullopt after a warning naming the current
/// test (the caller then skips its PostgreSQL part). In CI the test fails here instead.
inline std::optional<std::string> postgres_url_or_skip() {
  const char* url = std::getenv("OPP_TEST_POSTGRES_URL");
  const auto problem = postgres_unusable_because(url);
  if (!problem) return std::string(url);
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
