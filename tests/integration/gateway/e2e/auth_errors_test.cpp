// Authentication through the real gateway (SPEC §3.2, 10002): every sign type against a
// wrong key, a tampered param, an expired timestamp and a replayed nonce; unknown and
// disabled merchants; key rotation and disabling through opp-admin without a restart.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "platform.hpp"

using namespace opp::gateway::e2e;
using opp::crypto::SignType;
using namespace std::chrono_literals;

namespace {

const std::string kQuery = R"({"out_order_no":"ANY-ORDER"})";

void expect_unauthorized(const HttpResponse& r, const std::string& sub_code) {
  INFO(r.body);
  CHECK(r.status == 401);
  CHECK(r.err_code() == 10002);
  CHECK(r.sub_code() == sub_code);
  CHECK(r.header("x-opp-signature").empty());  // not authenticated: not signed
}

// Polls until `ok(response)` or 4 s passed (SPEC §3.4: changes are live within 2 s).
template <class F, class Check>
HttpResponse eventually(F make, Check ok) {
  HttpResponse r;
  const auto deadline = std::chrono::steady_clock::now() + 4s;
  do {
    r = make();
    if (ok(r)) break;
    std::this_thread::sleep_for(100ms);
  } while (std::chrono::steady_clock::now() < deadline);
  return r;
}

}  // namespace

TEST_CASE("e2e: every sign type refuses wrong keys, tampering, stale times and replays",
          "[e2e][auth]") {
  Platform platform;
  const auto sign_type = GENERATE(SignType::kHmacSha256, SignType::kHmacSm3, SignType::kRsa2);
  INFO("sign type " << opp::crypto::sign_type_name(sign_type));
  MerchantKey key = sign_type == SignType::kRsa2 ? platform.add_rsa_merchant("MAUTH")
                                                 : platform.add_hmac_merchant("MAUTH", sign_type);
  platform.start_gateway();
  MerchantClient merchant = platform.merchant(key);

  SECTION("a correct request passes (20002: the order does not exist)") {
    auto r = merchant.call("payment", "queryorder", kQuery);
    CHECK(r.err_code() == 20002);
    CHECK(merchant.verify(r));
  }
  SECTION("wrong key") {
    MerchantKey wrong = key;
    if (sign_type == SignType::kRsa2)
      wrong.rsa = *opp::crypto::PrivateKey::generate();
    else
      wrong.secret += "x";
    MerchantClient impostor = platform.merchant(wrong);
    expect_unauthorized(impostor.call("payment", "queryorder", kQuery), "invalid-signature");
  }
  SECTION("a param changed after signing") {
    Params p = merchant.params("queryorder", kQuery);
    merchant.sign(p);
    p["biz_params"] = R"({"out_order_no":"OTHER-ORDER"})";
    expect_unauthorized(merchant.post("payment", p), "invalid-signature");
  }
  SECTION("an extra param added after signing") {
    Params p = merchant.params("queryorder", kQuery);
    merchant.sign(p);
    p["extra"] = "1";
    expect_unauthorized(merchant.post("payment", p), "invalid-signature");
  }
  SECTION("a timestamp outside the window") {
    Params p = merchant.params("queryorder", kQuery);
    p["timestamp"] = std::to_string(std::stoll(p["timestamp"]) - 301);
    merchant.sign(p);
    expect_unauthorized(merchant.post("payment", p), "timestamp-expired");
    p = merchant.params("queryorder", kQuery);
    p["timestamp"] = std::to_string(std::stoll(p["timestamp"]) + 301);
    merchant.sign(p);
    expect_unauthorized(merchant.post("payment", p), "timestamp-expired");
  }
  SECTION("a replayed nonce") {
    Params p = merchant.params("queryorder", kQuery);
    merchant.sign(p);
    CHECK(merchant.post("payment", p).err_code() == 20002);
    expect_unauthorized(merchant.post("payment", p), "nonce-replayed");
  }
  SECTION("a sign_type other than the merchant's key") {
    Params p = merchant.params("queryorder", kQuery);
    p["sign_type"] = sign_type == SignType::kHmacSha256 ? "HMAC-SM3" : "HMAC-SHA256";
    merchant.sign(p);
    expect_unauthorized(merchant.post("payment", p), "sign-type-mismatch");
  }
  SECTION("an unsupported sign_type") {
    Params p = merchant.params("queryorder", kQuery);
    p["sign_type"] = "MD5";
    p["sign"] = "00";
    expect_unauthorized(merchant.post("payment", p), "unsupported-sign-type");
  }
}

TEST_CASE("e2e: unknown merchants are refused", "[e2e][auth]") {
  Platform platform;
  platform.start_gateway();
  MerchantClient stranger = platform.merchant({"NOBODY", SignType::kHmacSha256, "s", std::nullopt});
  expect_unauthorized(stranger.call("payment", "queryorder", kQuery), "unknown-merchant");
}

TEST_CASE("e2e: rotation and disabling through opp-admin apply without a restart", "[e2e][auth]") {
  Platform platform;
  MerchantKey key = platform.add_hmac_merchant("MROT", SignType::kHmacSha256);
  platform.start_gateway();
  MerchantClient before = platform.merchant(key);
  REQUIRE(before.call("payment", "queryorder", kQuery).err_code() == 20002);

  MerchantKey rotated = key;
  rotated.secret = "the-new-secret-" + fresh_nonce();
  auto r = platform.admin({"merchant", "rotate", "--id", "MROT", "--secret", rotated.secret});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find(rotated.secret) == std::string::npos);  // never printed
  MerchantClient after = platform.merchant(rotated);
  auto ok = eventually([&] { return after.call("payment", "queryorder", kQuery); },
                       [](const HttpResponse& x) { return x.err_code() == 20002; });
  CHECK(ok.err_code() == 20002);
  CHECK(after.verify(ok));  // the answer is signed with the new secret
  expect_unauthorized(before.call("payment", "queryorder", kQuery), "invalid-signature");

  REQUIRE(platform.admin({"merchant", "disable", "--id", "MROT"}).exit_code == 0);
  auto disabled =
      eventually([&] { return after.call("payment", "queryorder", kQuery); },
                 [](const HttpResponse& x) { return x.sub_code() == "merchant-disabled"; });
  expect_unauthorized(disabled, "merchant-disabled");

  REQUIRE(platform.admin({"merchant", "enable", "--id", "MROT"}).exit_code == 0);
  auto enabled = eventually([&] { return after.call("payment", "queryorder", kQuery); },
                            [](const HttpResponse& x) { return x.err_code() == 20002; });
  CHECK(enabled.err_code() == 20002);

  // An RSA2 merchant added while the gateway runs is live within 2 s as well.
  MerchantKey rsa = platform.add_rsa_merchant("MRSA-LIVE");
  MerchantClient live = platform.merchant(rsa);
  auto first = eventually([&] { return live.call("payment", "queryorder", kQuery); },
                          [](const HttpResponse& x) { return x.err_code() == 20002; });
  CHECK(first.err_code() == 20002);
  CHECK(live.verify(first));
}
