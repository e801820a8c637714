#include "gateway/http/request_id.hpp"

#include <openssl/rand.h>

#include <random>

namespace opp::gateway::http {

bool is_well_formed_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

RequestIdGenerator::RequestIdGenerator() {
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    std::random_device device;  // ids need to be unique, not secret
    for (unsigned char& b : bytes) b = static_cast<unsigned char>(device());
  }
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char b : bytes) {
    prefix_ += kHex[b >> 4];
    prefix_ += kHex[b & 0xf];
  }
  prefix_ += '-';
}

std::string RequestIdGenerator::next() {
  static constexpr char kHex[] = "0123456789abcdef";
  char digits[16];
  int n = 0;
  uint64_t value = ++counter_;
  do {
    digits[n++] = kHex[value & 0xf];
    value >>= 4;
  } while (value);
  std::string id;
  id.reserve(prefix_.size() + n);
  id = prefix_;
  while (n) id += digits[--n];
  return id;
}

}  // namespace opp::gateway::http
