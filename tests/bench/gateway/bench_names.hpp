#pragma once
// The benchmark's fixed population, shared by the in-memory backend, the Thrift load
// client and the request signer (the wrk scripts and bench.sh spell the same names):
// merchant i is "benchm" + two digits, order j of every merchant is "BO" + six digits.
// Both backends hold the same orders, so the same signed requests work on either.

#include <cstdio>
#include <string>

namespace opp::bench {

/// Merchant id number `index` (0-based): benchm00, benchm01, ...
inline std::string merchant_id(int index) {
  char text[32];
  std::snprintf(text, sizeof text, "benchm%02d", index);
  return text;
}

/// Order number `index` (0-based) of any merchant: BO000000, BO000001, ...
inline std::string order_no(int index) {
  char text[32];
  std::snprintf(text, sizeof text, "BO%06d", index);
  return text;
}

/// Amount of order `index` in fen, so that a wrong order in a reply is visible.
inline long long order_amount(int index) {
  return 100 + index;
}

/// A sandbox wxpay payment code that the sandbox accepts (prefix 13, not ending in 0000).
inline constexpr const char* kAcceptedAuthCode = "134567890123456789";

}  // namespace opp::bench
