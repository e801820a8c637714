#include "gateway/auth/authenticator.hpp"

#include <catch2/catch.hpp>
#include <cctype>

#include "auth_test_support.hpp"
#include "gateway/auth/memory_nonce_store.hpp"

using namespace opp::gateway::auth;
using namespace opp::gateway::auth::test;
using opp::crypto::SignType;

namespace {

constexpr int64_t kNow = 1700000000;
constexpr uint32_t kWindow = 300;

const char* const kSha256Secret = "sha256-merchant-secret";
const char* const kSm3Secret = "sm3-merchant-secret";

/// One merchant of each sign type, the nonce store and the authenticator under test.
struct Fixture {
  FakeDirectory directory;
  MemoryNonceStore nonces{1000};
  Authenticator authenticator{directory, nonces, kWindow};

  Fixture() {
    directory.put(hmac_merchant("M-SHA", SignType::kHmacSha256, kSha256Secret));
    directory.put(hmac_merchant("M-SM3", SignType::kHmacSm3, kSm3Secret));
    directory.put(rsa_merchant("M-RSA"));
  }

  opp::Result<AuthenticatedMerchant> authenticate(const ParsedRequest& request,
                                                  int64_t now_s = kNow) {
    return authenticator.authenticate(request.envelope, request.params, now_s);
  }
};

struct Case {
  const char* merchant_id;
  SignType type;
  opp::crypto::SigningKey key;        // the merchant's
  opp::crypto::SigningKey wrong_key;  // of the same kind, someone else's
};

const std::vector<Case>& cases() {
  static const std::vector<Case> all = [] {
    auto other_rsa = opp::crypto::PrivateKey::generate();
    if (!other_rsa) throw std::runtime_error("RSA key generation failed");
    return std::vector<Case>{
        {"M-SHA", SignType::kHmacSha256, opp::crypto::HmacSecret{kSha256Secret},
         opp::crypto::HmacSecret{"another-secret"}},
        {"M-SM3", SignType::kHmacSm3, opp::crypto::HmacSecret{kSm3Secret},
         opp::crypto::HmacSecret{"another-secret"}},
        {"M-RSA", SignType::kRsa2, merchant_rsa_key(), *other_rsa},
    };
  }();
  return all;
}

ParamList unsigned_params(const char* merchant_id, SignType type, const char* nonce,
                          int64_t timestamp_s = kNow) {
  return {{"merchant_id", merchant_id},
          {"method", "unifypay"},
          {"biz_params", "{\"out_order_no\":\"A1\",\"total_amount\":100,\"subject\":\"中 & =\"}"},
          {"timestamp", std::to_string(timestamp_s)},
          {"nonce_str", nonce},
          {"sign_type", std::string(opp::crypto::sign_type_name(type))},
          {"extra", "covered too"}};
}

ParamList signed_params(ParamList params, SignType type, const opp::crypto::SigningKey& key) {
  params.emplace_back("sign", signature_of(params, type, key));
  return params;
}

void require_refused(const opp::Result<AuthenticatedMerchant>& result, const char* sub_code,
                     opp::ErrorCode code = opp::ErrorCode::kUnauthorized) {
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == code);
  CHECK(result.error().sub_code == sub_code);
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

/// A NonceStore that cannot be reached, as a shared store may be.
class UnreachableNonceStore : public NonceStore {
 public:
  opp::Result<void> remember(std::string_view, std::string_view, int64_t, int64_t) override {
    ++calls;
    return nonce_store_unavailable("connection refused");
  }
  int calls = 0;
};

}  // namespace

TEST_CASE("a correctly signed request authenticates, for every sign type", "[gateway][auth]") {
  Fixture fixture;
  for (const Case& c : cases()) {
    INFO(c.merchant_id);
    ParsedRequest request = parse_form(
        signed_params(unsigned_params(c.merchant_id, c.type, "nonce-ok-1"), c.type, c.key));
    auto result = fixture.authenticate(request);
    REQUIRE(result.ok());
    CHECK(result->merchant->id == c.merchant_id);
    CHECK(result->sign_type == c.type);
    CHECK((*result)->id == c.merchant_id);
  }
}

TEST_CASE("a signature made with another key is invalid-signature", "[gateway][auth]") {
  Fixture fixture;
  for (const Case& c : cases()) {
    INFO(c.merchant_id);
    ParsedRequest request = parse_form(signed_params(
        unsigned_params(c.merchant_id, c.type, "nonce-wrongkey"), c.type, c.wrong_key));
    auto result = fixture.authenticate(request);
    require_refused(result, "invalid-signature");
  }
}

TEST_CASE("a tampered param is invalid-signature, and the nonce stays unused", "[gateway][auth]") {
  Fixture fixture;
  for (const Case& c : cases()) {
    INFO(c.merchant_id);
    ParamList params =
        signed_params(unsigned_params(c.merchant_id, c.type, "nonce-tamper"), c.type, c.key);
    for (const char* key : {"biz_params", "extra", "method", "timestamp"}) {
      INFO(key);
      ParamList tampered = params;
      for (auto& [name, value] : tampered) {
        if (name == key)
          value = key == std::string("timestamp") ? std::to_string(kNow + 1) : value + " ";
      }
      require_refused(fixture.authenticate(parse_form(tampered)), "invalid-signature");
    }
    ParamList added = params;
    added.emplace_back("injected", "1");
    require_refused(fixture.authenticate(parse_form(added)), "invalid-signature");
    // The refused attempts did not use up the nonce of the genuine request.
    CHECK(fixture.authenticate(parse_form(params)).ok());
  }
}

TEST_CASE("a timestamp outside the window is timestamp-expired", "[gateway][auth]") {
  Fixture fixture;
  for (const Case& c : cases()) {
    INFO(c.merchant_id);
    for (int64_t offset : {-static_cast<int64_t>(kWindow) - 1, static_cast<int64_t>(kWindow) + 1,
                           int64_t{-100000}}) {
      INFO("offset " << offset);
      const std::string nonce = "nonce-exp" + std::to_string(offset + 200000);
      ParsedRequest request = parse_form(signed_params(
          unsigned_params(c.merchant_id, c.type, nonce.c_str(), kNow + offset), c.type, c.key));
      auto result = fixture.authenticate(request);
      require_refused(result, "timestamp-expired");
      CHECK(result.error().message == "timestamp is more than 300 s away from the gateway's clock");
    }
    // The largest timestamp the envelope accepts: no overflow, just too far.
    ParsedRequest far = parse_form(signed_params(
        unsigned_params(c.merchant_id, c.type, "nonce-far-future", INT64_MAX), c.type, c.key));
    require_refused(fixture.authenticate(far), "timestamp-expired");
    // The edges of the window are inside it.
    for (int64_t offset : {-static_cast<int64_t>(kWindow), static_cast<int64_t>(kWindow)}) {
      const std::string nonce = "nonce-edge" + std::to_string(offset + 1000);
      ParsedRequest request = parse_form(signed_params(
          unsigned_params(c.merchant_id, c.type, nonce.c_str(), kNow + offset), c.type, c.key));
      CHECK(fixture.authenticate(request).ok());
    }
  }
}

TEST_CASE("a replayed nonce is nonce-replayed, also with a new timestamp", "[gateway][auth]") {
  Fixture fixture;
  for (const Case& c : cases()) {
    INFO(c.merchant_id);
    ParsedRequest request = parse_form(
        signed_params(unsigned_params(c.merchant_id, c.type, "nonce-replay"), c.type, c.key));
    REQUIRE(fixture.authenticate(request).ok());
    auto replay = fixture.authenticate(request, kNow + 5);
    require_refused(replay, "nonce-replayed");
    // Re-signed with a new timestamp: the nonce is still spent inside the window.
    ParsedRequest resigned = parse_form(signed_params(
        unsigned_params(c.merchant_id, c.type, "nonce-replay", kNow + 60), c.type, c.key));
    require_refused(fixture.authenticate(resigned, kNow + 60), "nonce-replayed");
  }
}

TEST_CASE("HMAC signatures are accepted in upper-case hex", "[gateway][auth]") {
  Fixture fixture;
  for (const Case& c : cases()) {
    if (c.type == SignType::kRsa2) continue;
    INFO(c.merchant_id);
    ParamList params = unsigned_params(c.merchant_id, c.type, "nonce-upper");
    params.emplace_back("sign", upper(signature_of(params, c.type, c.key)));
    CHECK(fixture.authenticate(parse_form(params)).ok());
  }
}

TEST_CASE("empty params are left out of the signed string", "[gateway][auth]") {
  Fixture fixture;
  ParamList params = unsigned_params("M-SHA", SignType::kHmacSha256, "nonce-empty");
  const std::string sign =
      signature_of(params, SignType::kHmacSha256, opp::crypto::HmacSecret{kSha256Secret});
  params.emplace_back("optional", "");
  params.emplace_back("sign", sign);
  CHECK(fixture.authenticate(parse_form(params)).ok());
}

TEST_CASE("unknown and disabled merchants are refused before the signature", "[gateway][auth]") {
  Fixture fixture;
  Merchant disabled = hmac_merchant("M-OFF", SignType::kHmacSha256, kSha256Secret);
  disabled.enabled = false;
  fixture.directory.put(disabled);

  ParsedRequest unknown =
      parse_form(signed_params(unsigned_params("M-NONE", SignType::kHmacSha256, "nonce-unknown"),
                               SignType::kHmacSha256, opp::crypto::HmacSecret{kSha256Secret}));
  auto unknown_result = fixture.authenticate(unknown);
  require_refused(unknown_result, "unknown-merchant");
  CHECK(unknown_result.error().message == "unknown merchant_id");

  // Correctly signed, and still refused.
  ParsedRequest off =
      parse_form(signed_params(unsigned_params("M-OFF", SignType::kHmacSha256, "nonce-disabled"),
                               SignType::kHmacSha256, opp::crypto::HmacSecret{kSha256Secret}));
  auto off_result = fixture.authenticate(off);
  require_refused(off_result, "merchant-disabled");
  CHECK(off_result.error().message == "the merchant is disabled");
  // Disabled wins over a bad sign_type and a bad signature.
  ParamList bad = unsigned_params("M-OFF", SignType::kHmacSha256, "nonce-disabled2");
  bad[5].second = "MD5";
  bad.emplace_back("sign", "00");
  require_refused(fixture.authenticate(parse_form(bad)), "merchant-disabled");
}

TEST_CASE("a sign_type that is not one of the three is unsupported-sign-type", "[gateway][auth]") {
  Fixture fixture;
  for (const char* sign_type : {"MD5", "hmac-sha256", "RSA", "HMAC-SHA1"}) {
    INFO(sign_type);
    ParamList params = unsigned_params("M-SHA", SignType::kHmacSha256, "nonce-unsupported");
    params[5].second = sign_type;
    params.emplace_back("sign", "00");
    auto result = fixture.authenticate(parse_form(params));
    require_refused(result, "unsupported-sign-type");
    CHECK(result.error().message == "sign_type must be HMAC-SHA256, HMAC-SM3 or RSA2");
  }
}

TEST_CASE("a sign_type other than the merchant's key type is sign-type-mismatch",
          "[gateway][auth]") {
  Fixture fixture;
  for (const Case& c : cases()) {
    for (SignType other : {SignType::kHmacSha256, SignType::kHmacSm3, SignType::kRsa2}) {
      if (other == c.type) continue;
      INFO(c.merchant_id << " with " << opp::crypto::sign_type_name(other));
      // Signed with the merchant's own HMAC secret under the other HMAC type: still refused.
      ParamList params = unsigned_params(c.merchant_id, other, "nonce-mismatch");
      params.emplace_back("sign", c.type == SignType::kRsa2 || other == SignType::kRsa2
                                      ? std::string("AAAA")
                                      : signature_of(params, other, c.key));
      auto result = fixture.authenticate(parse_form(params));
      require_refused(result, "sign-type-mismatch");
      CHECK(result.error().message == "sign_type " +
                                          std::string(opp::crypto::sign_type_name(other)) +
                                          " does not match the merchant's key");
    }
  }
}

TEST_CASE("checks answer in SPEC order", "[gateway][auth]") {
  Fixture fixture;
  // Bad signature and expired timestamp: the signature answers.
  ParamList expired = unsigned_params("M-SHA", SignType::kHmacSha256, "nonce-order1", kNow - 9999);
  expired.emplace_back("sign", std::string(64, '0'));
  require_refused(fixture.authenticate(parse_form(expired)), "invalid-signature");
  // Expired and replayed: the timestamp answers.
  ParsedRequest request =
      parse_form(signed_params(unsigned_params("M-SHA", SignType::kHmacSha256, "nonce-order2"),
                               SignType::kHmacSha256, opp::crypto::HmacSecret{kSha256Secret}));
  REQUIRE(fixture.authenticate(request).ok());
  require_refused(fixture.authenticate(request, kNow + kWindow + 1), "timestamp-expired");
}

TEST_CASE("an unreachable nonce store refuses the request with 10005", "[gateway][auth]") {
  FakeDirectory directory;
  directory.put(hmac_merchant("M-SHA", SignType::kHmacSha256, kSha256Secret));
  UnreachableNonceStore nonces;
  Authenticator authenticator(directory, nonces, kWindow);
  ParsedRequest request =
      parse_form(signed_params(unsigned_params("M-SHA", SignType::kHmacSha256, "nonce-store"),
                               SignType::kHmacSha256, opp::crypto::HmacSecret{kSha256Secret}));
  auto result = authenticator.authenticate(request.envelope, request.params, kNow);
  require_refused(result, "nonce-store-unavailable", opp::ErrorCode::kRequestServerFail);
  CHECK(result.error().message == "the nonce store is unavailable: connection refused");
  CHECK(nonces.calls == 1);
  // Refused earlier (bad signature): the store is not asked.
  ParamList bad = unsigned_params("M-SHA", SignType::kHmacSha256, "nonce-store2");
  bad.emplace_back("sign", "00");
  ParsedRequest unsigned_request = parse_form(bad);
  require_refused(
      authenticator.authenticate(unsigned_request.envelope, unsigned_request.params, kNow),
      "invalid-signature");
  CHECK(nonces.calls == 1);
}

TEST_CASE("the nonce quota of a merchant refuses its requests only", "[gateway][auth]") {
  FakeDirectory directory;
  directory.put(hmac_merchant("M-SHA", SignType::kHmacSha256, kSha256Secret));
  directory.put(hmac_merchant("M-SM3", SignType::kHmacSm3, kSm3Secret));
  MemoryNonceStore nonces(2);
  Authenticator authenticator(directory, nonces, kWindow);
  auto attempt = [&](const char* merchant, SignType type, const char* secret, const char* nonce) {
    ParsedRequest request = parse_form(signed_params(unsigned_params(merchant, type, nonce), type,
                                                     opp::crypto::HmacSecret{secret}));
    return authenticator.authenticate(request.envelope, request.params, kNow);
  };
  REQUIRE(attempt("M-SHA", SignType::kHmacSha256, kSha256Secret, "quota-01").ok());
  REQUIRE(attempt("M-SHA", SignType::kHmacSha256, kSha256Secret, "quota-02").ok());
  require_refused(attempt("M-SHA", SignType::kHmacSha256, kSha256Secret, "quota-03"),
                  "nonce-quota-exceeded");
  CHECK(attempt("M-SM3", SignType::kHmacSm3, kSm3Secret, "quota-03").ok());
}

TEST_CASE("a key rotation during a request does not change its authenticated merchant",
          "[gateway][auth]") {
  Fixture fixture;
  ParsedRequest request =
      parse_form(signed_params(unsigned_params("M-SHA", SignType::kHmacSha256, "nonce-rotate"),
                               SignType::kHmacSha256, opp::crypto::HmacSecret{kSha256Secret}));
  auto result = fixture.authenticate(request);
  REQUIRE(result.ok());
  Merchant rotated = hmac_merchant("M-SHA", SignType::kHmacSha256, "rotated-secret");
  rotated.key_version = 2;
  fixture.directory.put(rotated);
  CHECK(result->merchant->key_version == 0);
  CHECK(std::get<opp::crypto::HmacSecret>(result->merchant->verify_key).bytes == kSha256Secret);
  // New requests need the new key.
  ParsedRequest old_key =
      parse_form(signed_params(unsigned_params("M-SHA", SignType::kHmacSha256, "nonce-rotate2"),
                               SignType::kHmacSha256, opp::crypto::HmacSecret{kSha256Secret}));
  require_refused(fixture.authenticate(old_key), "invalid-signature");
}
