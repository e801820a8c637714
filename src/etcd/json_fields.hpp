#pragma once
// Reading etcd's JSON: the gateway writes 64-bit integers as strings ("revision": "12")
// and bytes as base64.

#include <rapidjson/document.h>

#include <cstdint>
#include <string>

#include "opp/common/result.hpp"
#include "opp/etcd/client.hpp"

namespace opp::etcd::detail {

/// A string member, or "" when absent or not a string.
std::string string_member(const rapidjson::Value& object, const char* name);
/// An int64 member written as a number or a decimal string; 0 when absent or malformed
/// (etcd omits zero values).
int64_t int64_member(const rapidjson::Value& object, const char* name);
/// The "message" (or "error") of an etcd error reply, "" when there is none.
std::string etcd_message(const std::string& body);
/// A mvccpb.KeyValue object with its key and value decoded. Errors: 10007 etcd-bad-reply.
Result<KeyValue> key_value(const rapidjson::Value& object);

}  // namespace opp::etcd::detail
