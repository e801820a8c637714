// The Catch2 main of the suites that run on SQLite and again on PostgreSQL. With
// OPP_TEST_DATABASE=postgresql and no usable OPP_TEST_POSTGRES_URL the process reports
// itself skipped (exit 77, which CTest shows as "Not Run" with the reason below) rather
// than failing every test; in CI (CI=true) it fails instead, so a broken database set-up
// cannot pass as green.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <iostream>

#include "test_postgres.hpp"

int main(int argc, char* argv[]) {
  if (opp::test::postgres_requested()) {
    if (const auto problem = opp::test::postgres_unusable_because(opp::test::postgres_test_url())) {
      const bool in_ci = opp::test::running_in_ci();
      std::cout << (in_ci ? "failed" : "skipped") << ": OPP_TEST_DATABASE=postgresql but "
                << *problem << " (see scripts/start-postgres.sh)" << std::endl;
      return in_ci ? 1 : 77;
    }
  }
  return Catch::Session().run(argc, argv);
}
