#pragma once
// Options of the JSON <-> Thrift codec.

#include <cstdint>
#include <string_view>

namespace opp::codec {

enum class Protocol : uint8_t { kBinary, kCompact };

/// Thrift message types, as on the wire.
enum class MessageType : uint8_t { kCall = 1, kReply = 2, kException = 3, kOneway = 4 };

struct EncodeOptions {
  Protocol protocol = Protocol::kBinary;
  /// First segment of error paths: "biz_params.items[2].amount".
  std::string_view root_name = "biz_params";
  /// Maximum nesting of JSON objects/arrays, unknown keys included.
  uint32_t max_depth = 64;
  /// Merchant binding (SPEC §3.1): when `bound_key` is non-empty and the top-level struct
  /// has a string field with that JSON key, the field is written with `bound_value`;
  /// a different non-empty value in the JSON is rejected (10002 "merchant-mismatch").
  std::string_view bound_key;
  std::string_view bound_value;
};

struct DecodeOptions {
  Protocol protocol = Protocol::kBinary;
  /// First segment of error paths.
  std::string_view root_name = "data";
  /// Maximum nesting of structs and containers.
  uint32_t max_depth = 64;
};

}  // namespace opp::codec
