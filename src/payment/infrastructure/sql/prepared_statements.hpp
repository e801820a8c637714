#pragma once
// Statements kept prepared on one pooled session, by query text. On SQLite, parsing and
// planning the 22-column order SELECT costs several times more than running it, so each
// query is prepared once per session and afterwards only re-executed. An entry owns the
// variables its statement is bound to (SOCI binds by reference), so a call assigns them
// and executes. Not thread-safe: the cache belongs to whoever leases the session.

#include <memory>
#include <string>
#include <unordered_map>

namespace opp::payment {

class PreparedStatements {
 public:
  /// Base of the cached entries; each owns a soci::statement and its bound variables.
  struct Entry {
    virtual ~Entry() = default;
  };

  /// The entry for `query`, created by `make()` (returning std::unique_ptr<T>) on first
  /// use. A query text always maps to the same entry type T.
  template <class T, class Make>
  T& get(const std::string& query, Make&& make) {
    auto found = entries_.find(query);
    if (found == entries_.end()) found = entries_.emplace(query, make()).first;
    return static_cast<T&>(*found->second);
  }

  /// Finalizes every statement. Call it while the session's connection object still
  /// exists: the statements refer to it.
  void clear() noexcept { entries_.clear(); }

  std::size_t size() const { return entries_.size(); }

 private:
  std::unordered_map<std::string, std::unique_ptr<Entry>> entries_;
};

}  // namespace opp::payment
