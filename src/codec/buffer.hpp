#pragma once
// Append-only output buffer over the caller's std::string: one capacity check per
// write, no per-byte push_back bookkeeping, and in-place patching of placeholders
// (container sizes become known only at the end of a JSON array/object).

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>

namespace opp::codec {

class Buffer {
 public:
  explicit Buffer(std::string& target) : s_(target), n_(target.size()), start_(n_) {}
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  /// Room for `k` more bytes; returns where they go (commit with advance()).
  char* ensure(size_t k) {
    if (n_ + k > s_.size()) grow(n_ + k);
    return s_.data() + n_;
  }
  void advance(size_t k) { n_ += k; }
  void put(char c) {
    *ensure(1) = c;
    ++n_;
  }
  void put(const void* p, size_t k) {
    std::memcpy(ensure(k), p, k);
    n_ += k;
  }
  void put(std::string_view s) { put(s.data(), s.size()); }

  size_t size() const { return n_; }
  char* at(size_t pos) { return s_.data() + pos; }
  void truncate(size_t n) { n_ = n; }

  /// Opens a gap of `k` bytes at `pos`, moving everything after it.
  void insert_gap(size_t pos, size_t k) {
    ensure(k);
    std::memmove(s_.data() + pos + k, s_.data() + pos, n_ - pos);
    n_ += k;
  }
  /// Removes `k` bytes at `pos`.
  void erase(size_t pos, size_t k) {
    std::memmove(s_.data() + pos, s_.data() + pos + k, n_ - pos - k);
    n_ -= k;
  }

  /// Trims the target to what was written (success) or to its size on entry (failure).
  void commit() { s_.resize(n_); }
  void rollback() { s_.resize(start_); }

 private:
  // Doubling, not jumping to capacity(): resize() zero-fills, and a caller's buffer may
  // be far larger than one message.
  void grow(size_t need) { s_.resize(std::max({need, s_.size() * 2, size_t{256}})); }
  std::string& s_;
  size_t n_;
  size_t start_;
};

}  // namespace opp::codec
