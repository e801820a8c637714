#include "sql/database.hpp"

#include "sql/session.hpp"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <stdexcept>

namespace opp::sql {
namespace {

constexpr std::string_view kSqliteScheme = "sqlite3://";
constexpr std::string_view kPostgresScheme = "postgresql://";

Error bad_url(const std::string& why) {
  return Error{ErrorCode::kServerHandleFail, "bad-database-url", why, {}};
}

Result<DatabaseTarget> parse_sqlite(std::string_view rest, const std::filesystem::path& base) {
  if (!rest.starts_with("db=")) return bad_url("expected sqlite3://db=PATH");
  std::string path(rest.substr(3));
  std::string options;
  if (const size_t space = path.find(' '); space != std::string::npos) {
    options = path.substr(space);
    path.resize(space);
  }
  if (path.empty()) return bad_url("sqlite3:// needs a file path after db=");
  DatabaseTarget target;
  target.dialect = Dialect::kSqlite;
  target.sqlite_file = std::filesystem::path(path).is_absolute() ? std::filesystem::path(path)
                                                                 : (base / path).lexically_normal();
  target.connect_string = "db=" + target.sqlite_file.string() + options;
  return target;
}

void configure_sqlite(soci::session& sql) {
  std::string mode;
  sql << "PRAGMA journal_mode=WAL", soci::into(mode);
  // FULL: a commit is on disk before it is acknowledged, so a kill -9 loses nothing.
  sql << "PRAGMA synchronous=FULL";
  sql << "PRAGMA busy_timeout=15000";
  sql << "PRAGMA foreign_keys=ON";
}

}  // namespace

Result<DatabaseTarget> parse_database_url(const std::string& url,
                                          const std::filesystem::path& base_dir) {
  const std::string_view text(url);
  if (text.starts_with(kSqliteScheme))
    return parse_sqlite(text.substr(kSqliteScheme.size()), base_dir);
  if (text.starts_with(kPostgresScheme)) {
    DatabaseTarget target;
    target.dialect = Dialect::kPostgres;
    const std::string_view rest = text.substr(kPostgresScheme.size());
    // "key=value ..." is a libpq keyword string; anything else is passed on as a libpq URI.
    target.connect_string =
        rest.find('=') != std::string_view::npos && rest.find('/') == std::string_view::npos
            ? std::string(rest)
            : url;
    if (rest.empty()) return bad_url("postgresql:// needs connection parameters");
    return target;
  }
  return bad_url("expected sqlite3://db=PATH or postgresql://...");
}

Result<std::string> resolve_database_url(const std::string& url,
                                         const std::filesystem::path& base_dir) {
  auto target = parse_database_url(url, base_dir);
  if (!target) return std::move(target).error();
  if (target->dialect != Dialect::kSqlite) return url;
  return std::string(kSqliteScheme) + target->connect_string;
}

Database::Database(const DatabaseTarget& target, std::size_t pool_size)
    : dialect_(target.dialect), pool_(pool_size) {
  if (dialect_ == Dialect::kSqlite) {
    std::filesystem::create_directories(target.sqlite_file.parent_path());
  }
#ifndef OPP_HAVE_POSTGRESQL
  if (dialect_ == Dialect::kPostgres) {
    throw std::runtime_error("this build has no PostgreSQL support");
  }
#endif
  for (std::size_t i = 0; i < pool_size; ++i) {
    soci::session& sql = pool_.at(i);
    if (dialect_ == Dialect::kSqlite) {
      sql.open(soci::sqlite3, target.connect_string);
      configure_sqlite(sql);
    } else {
#ifdef OPP_HAVE_POSTGRESQL
      // By name: SOCI loads its PostgreSQL backend (and libpq with its Kerberos, LDAP and
      // TLS libraries) only when a database is PostgreSQL, so SQLite deployments do not
      // map several MB of libraries they never call.
      sql.open("postgresql", target.connect_string);
      sql << "SET client_min_messages = warning";  // no NOTICEs on stderr
#endif
    }
  }
}

const char* Database::begin_write() const {
  return dialect_ == Dialect::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN";
}

const char* Database::lock_rows() const {
  return dialect_ == Dialect::kSqlite ? "" : " FOR UPDATE";
}

std::unique_lock<std::mutex> Database::write_turn() {
  if (dialect_ != Dialect::kSqlite) return {};
  return std::unique_lock(write_turn_);
}

PooledSession::PooledSession(Database& database)
    : database_(database),
      position_(database.pool().lease()),
      session_(database.pool().at(position_)) {}

PooledSession::~PooledSession() {
  database_.pool().give_back(position_);
}

void PooledSession::heal() noexcept {
  reconnect_if_dropped(session_);
}

void reconnect_if_dropped(soci::session& session) noexcept {
  try {
    if (!session.is_connected()) session.reconnect();
  } catch (...) {
    // still down: the next call fails and tries again
  }
}

Error storage_error(const std::exception& e) {
  std::string message = e.what();
  // Driver messages (libpq's especially) span lines; an error is reported on one.
  for (char& c : message) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  while (!message.empty() && message.back() == ' ') message.pop_back();
  return Error{ErrorCode::kServerHandleFail, "storage-error", std::move(message), {}};
}

void rollback_quietly(soci::session& session) noexcept {
  try {
    session << "ROLLBACK";
  } catch (...) {
    // the original failure is the one worth reporting
  }
}

}  // namespace opp::sql
