#pragma once
// Fakes and builders for the authentication tests: a merchant directory in memory, the
// three kinds of merchant, and requests signed the way a merchant's client signs them.

#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gateway/auth/merchant.hpp"
#include "gateway/request/envelope.hpp"
#include "gateway/request/request_params.hpp"
#include "opp/crypto/canonical_string.hpp"
#include "opp/crypto/keys.hpp"
#include "opp/crypto/signature.hpp"
#include "test_files.hpp"

namespace opp::gateway::auth::test {

/// A MerchantDirectory whose records tests set and replace (a rotation).
class FakeDirectory : public MerchantDirectory {
 public:
  void put(Merchant merchant) {
    std::lock_guard lock(mutex_);
    std::string id = merchant.id;
    merchants_[id] = std::make_shared<const Merchant>(std::move(merchant));
  }
  std::shared_ptr<const Merchant> find(std::string_view id) const override {
    std::lock_guard lock(mutex_);
    auto it = merchants_.find(std::string(id));
    return it == merchants_.end() ? nullptr : it->second;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const Merchant>> merchants_;
};

inline Merchant hmac_merchant(std::string id, crypto::SignType type, std::string secret) {
  Merchant merchant;
  merchant.id = std::move(id);
  merchant.sign_type = type;
  merchant.verify_key = crypto::HmacSecret{std::move(secret)};
  return merchant;
}

/// The merchant's private key (test-only, tests/unit/crypto/testdata).
inline const crypto::PrivateKey& merchant_rsa_key() {
  static const crypto::PrivateKey key = [] {
    auto parsed = crypto::PrivateKey::from_pem(crypto::test::testdata("rsa_pkcs8.pem"));
    if (!parsed) throw std::runtime_error("test key");
    return *parsed;
  }();
  return key;
}

inline Merchant rsa_merchant(std::string id) {
  Merchant merchant;
  merchant.id = std::move(id);
  merchant.sign_type = crypto::SignType::kRsa2;
  merchant.verify_key = merchant_rsa_key().public_key();
  return merchant;
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
inline std::string form_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

using ParamList = std::vector<std::pair<std::string, std::string>>;

/// The form body of `params`, in their order.
inline std::string form_body(const ParamList& params) {
  std::string body;
  for (const auto& [key, value] : params) {
    if (!body.empty()) body.push_back('&');
    body += form_encode(key) + "=" + form_encode(value);
  }
  return body;
}

/// `sign` over the canonical string of `params` with the merchant's key material.
inline std::string signature_of(const ParamList& params, crypto::SignType type,
                                const crypto::SigningKey& key) {
  auto signature = crypto::sign(type, key, crypto::canonical_string(params));
  REQUIRE(signature.ok());
  return *signature;
}

/// A parsed request and its envelope, views of it valid while the object lives.
struct ParsedRequest {
  request::RequestParams params;
  request::EnvelopeParams envelope;
};

inline ParsedRequest parse_form(const ParamList& params) {
  auto parsed =
      request::parse_request_params("application/x-www-form-urlencoded", form_body(params));
  REQUIRE(parsed.ok());
  ParsedRequest request{std::move(parsed).value(), {}};
  auto envelope = request::check_envelope(request.params);
  if (!envelope) FAIL(envelope.error().message);
  request.envelope = *envelope;
  return request;
}

}  // namespace opp::gateway::auth::test
