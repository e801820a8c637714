#include "etcd/json_fields.hpp"

#include <charconv>

#include "etcd/etcd_errors.hpp"
#include "opp/crypto/base64.hpp"

namespace opp::etcd::detail {

std::string string_member(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return "";
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) return "";
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

int64_t int64_member(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return 0;
  auto it = object.FindMember(name);
  if (it == object.MemberEnd()) return 0;
  if (it->value.IsInt64()) return it->value.GetInt64();
  if (!it->value.IsString()) return 0;
  int64_t value = 0;
  const char* begin = it->value.GetString();
  const char* end = begin + it->value.GetStringLength();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  return ec == std::errc() && ptr == end ? value : 0;
}

std::string etcd_message(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return "";
  const rapidjson::Value* error = &doc;
  if (doc.HasMember("error") && doc["error"].IsObject()) error = &doc["error"];
  std::string message = string_member(*error, "message");
  return message.empty() ? string_member(*error, "error") : message;
}

Result<KeyValue> key_value(const rapidjson::Value& object) {
  if (!object.IsObject()) return bad_reply("a key-value is not an object");
  KeyValue kv;
  auto key = crypto::base64_decode(string_member(object, "key"));
  auto value = crypto::base64_decode(string_member(object, "value"));
  if (!key || !value) return bad_reply("a key or value is not base64");
  kv.key = std::move(key).value();
  kv.value = std::move(value).value();
  kv.mod_revision = int64_member(object, "mod_revision");
  kv.lease = int64_member(object, "lease");
  return kv;
}

}  // namespace opp::etcd::detail
