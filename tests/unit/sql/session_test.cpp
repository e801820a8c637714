// The generic session helpers of src/sql on a SQLite file: leasing a pool position,
// write transactions that commit, roll back and take this process's write turn, and a
// caller's own session type healed after a failure.
#include "sql/session.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <future>
#include <random>
#include <string>

using opp::Result;
using opp::sql::Database;
using opp::sql::PooledSession;

namespace {

/// A SQLite database in a fresh temporary directory, with one table `t(v)`.
struct SqliteFile {
  explicit SqliteFile(std::size_t pool_size) {
    std::random_device random;
    dir = std::filesystem::temp_directory_path() /
          ("opp-sql-test-" + std::to_string(random()) + std::to_string(random()));
    database = std::make_unique<Database>(
        opp::sql::parse_database_url("sqlite3://db=test.db", dir).value(), pool_size);
    soci::session sql(database->pool());
    sql << "CREATE TABLE t (v INTEGER NOT NULL)";
  }
  ~SqliteFile() {
    database.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }

  int rows() {
    return opp::sql::with_session(*database,
                                  [](soci::session& sql) {
                                    int count = 0;
                                    sql << "SELECT COUNT(*) FROM t", soci::into(count);
                                    return count;
                                  })
        .value();
  }

  std::filesystem::path dir;
  std::unique_ptr<Database> database;
};

Result<void> insert_one(soci::session& sql) {
  sql << "INSERT INTO t (v) VALUES (1)";
  return {};
}

/// A caller's own session type, as a store with per-session state would write one.
struct CountingSession {
  explicit CountingSession(Database& database) : lease(database) {}
  soci::session& sql() { return lease.sql(); }
  void heal() noexcept {
    ++heals;
    lease.heal();
  }
  PooledSession lease;
  static inline int heals = 0;
};

}  // namespace

TEST_CASE("sql session: a lease holds one pool position until it ends", "[sql]") {
  SqliteFile db(2);
  std::size_t first_position = 0;
  {
    PooledSession first(*db.database);
    PooledSession second(*db.database);
    first_position = first.position();
    CHECK(first.position() < 2);
    CHECK(second.position() < 2);
    CHECK(first.position() != second.position());
    CHECK(&first.sql() != &second.sql());
    CHECK(&first.database() == db.database.get());
  }
  // Both were given back: two leases again, and the first position is among them.
  PooledSession again(*db.database);
  PooledSession other(*db.database);
  CHECK((again.position() == first_position || other.position() == first_position));
}

TEST_CASE("sql session: a write transaction commits on ok and rolls back on an error", "[sql]") {
  SqliteFile db(1);
  REQUIRE(opp::sql::in_write_transaction(*db.database, insert_one).ok());
  CHECK(db.rows() == 1);

  const auto refused =
      opp::sql::in_write_transaction(*db.database, [](soci::session& sql) -> Result<void> {
        sql << "INSERT INTO t (v) VALUES (2)";
        return opp::Error{opp::ErrorCode::kBadRequest, "refused", "no", {}};
      });
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().sub_code == "refused");
  CHECK(db.rows() == 1);

  const auto thrown =
      opp::sql::in_write_transaction(*db.database, [](soci::session& sql) -> Result<void> {
        sql << "INSERT INTO t (v) VALUES (3)";
        sql << "INSERT INTO t (v) VALUES (NULL)";  // NOT NULL
        return {};
      });
  REQUIRE_FALSE(thrown.ok());
  CHECK(thrown.error().sub_code == "storage-error");
  CHECK(thrown.error().message.find("NOT NULL") != std::string::npos);
  CHECK(db.rows() == 1);
  // The session and the write turn were both given back.
  CHECK(opp::sql::in_write_transaction(*db.database, insert_one).ok());
  CHECK(db.rows() == 2);
}

TEST_CASE("sql session: SQLite write transactions of one process take turns", "[sql]") {
  SqliteFile db(2);
  auto mine = db.database->write_turn();
  REQUIRE(mine.owns_lock());
  // no Catch assertions off the main thread
  auto second = std::async(
      std::launch::async, [&] { return opp::sql::in_write_transaction(*db.database, insert_one); });
  CHECK(second.wait_for(std::chrono::milliseconds(200)) == std::future_status::timeout);
  CHECK(db.rows() == 0);  // readers are not held up
  mine.unlock();
  REQUIRE(second.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  CHECK(second.get().ok());
  CHECK(db.rows() == 1);
}

TEST_CASE("sql session: a caller's session type is healed after an exception", "[sql]") {
  SqliteFile db(1);
  CountingSession::heals = 0;
  const auto read =
      opp::sql::with_session_as<CountingSession>(*db.database, [](CountingSession& session) {
        int count = -1;
        session.sql() << "SELECT COUNT(*) FROM t", soci::into(count);
        return count;
      });
  REQUIRE(read.ok());
  CHECK(*read == 0);
  CHECK(CountingSession::heals == 0);

  const auto failed_read =
      opp::sql::with_session_as<CountingSession>(*db.database, [](CountingSession& session) {
        session.sql() << "SELECT nothing FROM nowhere";
        return 0;
      });
  REQUIRE_FALSE(failed_read.ok());
  CHECK(failed_read.error().sub_code == "storage-error");
  CHECK(CountingSession::heals == 1);

  const auto failed_write = opp::sql::in_write_transaction_as<CountingSession>(
      *db.database, [](CountingSession& session) -> Result<void> {
        session.sql() << "INSERT INTO nowhere VALUES (1)";
        return {};
      });
  REQUIRE_FALSE(failed_write.ok());
  CHECK(CountingSession::heals == 2);
  CHECK(opp::sql::in_write_transaction_as<CountingSession>(
            *db.database, [](CountingSession& session) { return insert_one(session.sql()); })
            .ok());
  CHECK(CountingSession::heals == 2);
  CHECK(db.rows() == 1);
}
