#include "rate-limit/redis_buckets.hpp"

#include <openssl/sha.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

namespace opp::plugins::rate_limit {
namespace {

// KEYS[i]: a bucket; ARGV[2i-1], ARGV[2i]: its rate (tokens/s) and burst. Redis's clock
// (TIME) drives the refill, so gateways need not agree on the time; a clock step back
// refills nothing. Returns {1} when every bucket had a token (one is taken from each), or
// {0, i, wait_s} naming the first bucket without one and the seconds until it has one
// (as a string: Redis turns a Lua number reply into an integer).
constexpr const char* kScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local state = {}
for i = 1, #KEYS do
  local rate = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  local v = redis.call('HMGET', KEYS[i], 't', 'u')
  local tokens = tonumber(v[1])
  local updated = tonumber(v[2])
  if tokens == nil or updated == nil then
    tokens = burst
    updated = now
  end
  if now > updated then
    tokens = tokens + (now - updated) / 1000000 * rate
    updated = now
  end
  if tokens > burst then tokens = burst end
  if tokens < 1 then
    return {0, i, tostring((1 - tokens) / rate)}
  end
  state[i] = {tokens - 1, updated, math.ceil(burst / rate * 1000) + 1000}
end
for i = 1, #KEYS do
  local s = state[i]
  redis.call('HSET', KEYS[i], 't', string.format('%.17g', s[1]), 'u', string.format('%.17g', s[2]))
  redis.call('PEXPIRE', KEYS[i], s[3])
end
return {1}
)lua";

std::string sha1_hex(std::string_view text) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  std::string hex;
  char byte[3];
  for (unsigned char b : digest) {
    std::snprintf(byte, sizeof byte, "%02x", b);
    hex += byte;
  }
  return hex;
}

std::string number(double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

Error failed(std::string why) {
  return Error{ErrorCode::kRequestServerFail, "rate-limit-unavailable", std::move(why), {}};
}

}  // namespace

RedisBuckets::RedisBuckets(redis::ClientOptions options)
    : client_(std::move(options)), sha_(sha1_hex(kScript)) {}

Result<Decision> RedisBuckets::take(const CallBuckets& call, std::string& refused_by) const {
  // The per-method bucket first, as the local policy checks it.
  std::string method_key, merchant_key;
  std::vector<std::string> numbers;
  std::vector<std::string_view> keys;
  std::vector<const char*> names;
  if (call.per_method) {
    method_key.append("opp:rl:").append(call.merchant).append(":").append(call.method);
    keys.push_back(method_key);
    names.push_back("per-method");
    numbers.push_back(number(call.per_method->rate));
    numbers.push_back(number(call.per_method->burst));
  }
  if (call.per_merchant) {
    merchant_key.append("opp:rl:").append(call.merchant);
    keys.push_back(merchant_key);
    names.push_back("per-merchant");
    numbers.push_back(number(call.per_merchant->rate));
    numbers.push_back(number(call.per_merchant->burst));
  }
  const std::string key_count = std::to_string(keys.size());

  std::vector<std::string_view> args{"EVALSHA", sha_, key_count};
  args.insert(args.end(), keys.begin(), keys.end());
  for (const auto& n : numbers) args.push_back(n);

  auto reply = client_.command(args);
  if (reply && reply->kind == redis::Reply::Kind::kError && reply->str.rfind("NOSCRIPT", 0) == 0) {
    // A restarted or flushed Redis forgot the script: load it again, then retry once.
    auto loaded = client_.command({"SCRIPT", "LOAD", kScript});
    if (!loaded) return failed(loaded.error().message);
    if (loaded->kind != redis::Reply::Kind::kString || loaded->str != sha_)
      return failed("redis did not load the rate-limit script");
    reply = client_.command(args);
  }
  if (!reply) return failed(reply.error().message);
  if (reply->kind == redis::Reply::Kind::kError) return failed("redis refused: " + reply->str);
  const auto& e = reply->elements;
  if (reply->kind != redis::Reply::Kind::kArray || e.empty() ||
      e[0].kind != redis::Reply::Kind::kInteger)
    return failed("unexpected redis reply");
  if (e[0].integer == 1) return Decision{true, 0};
  if (e.size() != 3 || e[1].kind != redis::Reply::Kind::kInteger || e[1].integer < 1 ||
      static_cast<size_t>(e[1].integer) > names.size() || e[2].kind != redis::Reply::Kind::kString)
    return failed("unexpected redis reply");
  refused_by = names[static_cast<size_t>(e[1].integer) - 1];
  const double wait_s = std::strtod(e[2].str.c_str(), nullptr);
  return Decision{false, wait_s > 0 ? wait_s : 1e-3};
}

}  // namespace opp::plugins::rate_limit
