#pragma once
// Writing "key": value members with RapidJSON's Writer, shared by the payment domain's
// JSON texts (notification bodies, the sandbox's jspay_info).

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <string_view>

namespace opp::payment {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

inline void put(JsonWriter& w, const char* key, std::string_view value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

inline void put(JsonWriter& w, const char* key, int64_t value) {
  w.Key(key);
  w.Int64(value);
}

}  // namespace opp::payment
