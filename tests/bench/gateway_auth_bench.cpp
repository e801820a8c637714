// bench_gateway_auth: what the gateway spends per request on params and authentication.
// Requests are HMAC-SHA256 merchant requests of about 600 bytes as a form body; every
// authenticated request has its own nonce, so the nonce store grows as it would in use.
#include <benchmark/benchmark.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/auth/authenticator.hpp"
#include "gateway/auth/memory_nonce_store.hpp"
#include "gateway/auth/response_nonce.hpp"
#include "gateway/auth/response_signer.hpp"
#include "gateway/request/canonical_params.hpp"
#include "gateway/request/envelope.hpp"
#include "gateway/request/request_params.hpp"
#include "opp/crypto/canonical_string.hpp"
#include "opp/crypto/hmac.hpp"
#include "opp/crypto/random.hpp"
#include "opp/crypto/signature.hpp"

namespace {

using opp::crypto::SignType;
using opp::gateway::auth::AuthenticatedMerchant;
using opp::gateway::auth::Authenticator;
using opp::gateway::auth::MemoryNonceStore;
using opp::gateway::auth::Merchant;
using opp::gateway::auth::MerchantDirectory;
using opp::gateway::auth::ResponseSigner;
using opp::gateway::request::RequestParams;

constexpr int64_t kNow = 1700000000;
constexpr const char* kFormType = "application/x-www-form-urlencoded";
const std::string kSecret = "0123456789abcdef0123456789abcdef";
/// A typical response body (~400 bytes).
const std::string kResponseBody =
    R"({"err_code":0,"err_message":"ok","request_id":"6f1c2b9e4a7d4c3f9b1e2d3c4b5a6978",)"
    R"("data":{"merchant_id":"M100000001","sub_merchant_id":"","out_order_no":"20261201154433001",)"
    R"("jspay_info":"{\"appId\":\"wx0000000000000000\",\"timeStamp\":\"1700000000\",)"
    R"(\"nonceStr\":\"5K8264ILTKCH16CQ2502SI8ZNMTM67VS\",\"package\":\"prepay_id=wx201411101639\",)"
    R"(\"signType\":\"RSA\"}","pay_way":"wxpay","transaction_id":"T2026120100000001",)"
    R"("order_status":0}})";

class OneMerchant : public MerchantDirectory {
 public:
  explicit OneMerchant(Merchant merchant)
      : merchant_(std::make_shared<const Merchant>(std::move(merchant))) {}
  std::shared_ptr<const Merchant> find(std::string_view id) const override {
    return id == merchant_->id ? merchant_ : nullptr;
  }

 private:
  std::shared_ptr<const Merchant> merchant_;
};

Merchant hmac_merchant() {
  Merchant merchant;
  merchant.id = "M100000001";
  merchant.sign_type = SignType::kHmacSha256;
  merchant.verify_key = opp::crypto::HmacSecret{kSecret};
  return merchant;
}

std::string form_encode(std::string_view text) {
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

/// A signed HMAC-SHA256 request with nonce number `n`, as a form body of 600 bytes.
std::string signed_form_body(int n) {
  std::map<std::string, std::string> params = {
      {"merchant_id", "M100000001"},
      {"method", "unifypay"},
      {"biz_params",
       R"({"out_order_no":"20261201154433001","total_amount":100,"subject":"Coffee x2, croissants",)"
       R"("pay_way":"wxpay","notify_url":"https://shop.example.com/pay/notify",)"
       R"("client_ip":"203.0.113.7","order_expiration":120,"app_id":"wx8888888888888888",)"
       R"("sub_open_id":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o0000000"})"},
      {"timestamp", std::to_string(kNow)},
      {"nonce_str", "bench-nonce-" + std::to_string(1000000 + n)},
      {"sign_type", "HMAC-SHA256"},
  };
  auto sign = opp::crypto::sign(SignType::kHmacSha256, opp::crypto::HmacSecret{kSecret},
                                opp::crypto::canonical_string(params));
  params["sign"] = *sign;
  std::string body;
  for (const auto& [key, value] : params) {
    if (!body.empty()) body.push_back('&');
    body += key + "=" + form_encode(value);
  }
  return body;
}

void BM_ParseFormBody(benchmark::State& state) {
  const std::string body = signed_form_body(0);
  for (auto _ : state) {
    auto params = opp::gateway::request::parse_request_params(kFormType, body);
    benchmark::DoNotOptimize(params);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body.size()));
  state.counters["body_bytes"] = static_cast<double>(body.size());
}
BENCHMARK(BM_ParseFormBody);

void BM_ParseJsonBody(benchmark::State& state) {
  auto form = opp::gateway::request::parse_request_params(kFormType, signed_form_body(0));
  std::string body = "{";
  for (const auto& param : *form) {
    if (body.size() > 1) body += ",";
    std::string value;
    for (char c : param.value) {
      if (c == '"' || c == '\\') value.push_back('\\');
      value.push_back(c);
    }
    body += "\"" + std::string(param.key) + "\":\"" + value + "\"";
  }
  body += "}";
  for (auto _ : state) {
    auto params = opp::gateway::request::parse_request_params("application/json", body);
    benchmark::DoNotOptimize(params);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body.size()));
  state.counters["body_bytes"] = static_cast<double>(body.size());
}
BENCHMARK(BM_ParseJsonBody);

/// check_envelope + authenticate over a fresh request (own nonce) each iteration.
void BM_EnvelopeAuthenticateHmacSha256(benchmark::State& state) {
  constexpr int kRequests = 4096;
  static const std::vector<RequestParams>* requests = [] {
    auto* all = new std::vector<RequestParams>();
    for (int i = 0; i < kRequests; ++i) {
      all->push_back(
          std::move(opp::gateway::request::parse_request_params(kFormType, signed_form_body(i)))
              .value());
    }
    return all;
  }();
  OneMerchant directory(hmac_merchant());
  std::optional<MemoryNonceStore> nonces;
  std::optional<Authenticator> authenticator;
  int next = kRequests;
  for (auto _ : state) {
    if (next == kRequests) {  // every nonce used: start over with an empty store
      state.PauseTiming();
      authenticator.reset();
      nonces.emplace(100000);
      authenticator.emplace(directory, *nonces, 300);
      next = 0;
      state.ResumeTiming();
    }
    const RequestParams& params = (*requests)[next++];
    auto envelope = opp::gateway::request::check_envelope(params);
    auto merchant = authenticator->authenticate(*envelope, params, kNow);
    if (!merchant) {
      state.SkipWithError(merchant.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(merchant);
  }
}
BENCHMARK(BM_EnvelopeAuthenticateHmacSha256);

void BM_CanonicalString(benchmark::State& state) {
  auto params = opp::gateway::request::parse_request_params(kFormType, signed_form_body(0));
  for (auto _ : state) {
    std::string canonical = opp::gateway::request::canonical_string(*params);
    benchmark::DoNotOptimize(canonical);
  }
}
BENCHMARK(BM_CanonicalString);

/// crypto::hmac alone, on a canonical-string-sized message and on a short one.
void BM_HmacSha256(benchmark::State& state) {
  const std::string message(static_cast<size_t>(state.range(0)), 'x');
  for (auto _ : state) {
    auto mac = opp::crypto::hmac_sha256(kSecret, message);
    benchmark::DoNotOptimize(mac);
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_HmacSha256)->Arg(64)->Arg(512);

/// The in-run baseline for BM_HmacSha256: HMAC through EVP_MAC with a per-thread context
/// keyed per call, as src/crypto/hmac.cpp did before it moved to the digest API.
void BM_HmacSha256EvpMacBaseline(benchmark::State& state) {
  const std::string message(static_cast<size_t>(state.range(0)), 'x');
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  EVP_MAC_CTX_set_params(ctx, params);
  for (auto _ : state) {
    std::string out(EVP_MAX_MD_SIZE, '\0');
    size_t length = 0;
    EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(kSecret.data()), kSecret.size(),
                 nullptr);
    EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    EVP_MAC_final(ctx, reinterpret_cast<unsigned char*>(out.data()), &length, out.size());
    out.resize(length);
    benchmark::DoNotOptimize(out);
  }
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_HmacSha256EvpMacBaseline)->Arg(64)->Arg(512);

void BM_HmacSm3(benchmark::State& state) {
  const std::string message(static_cast<size_t>(state.range(0)), 'x');
  for (auto _ : state) {
    auto mac = opp::crypto::hmac_sm3(kSecret, message);
    benchmark::DoNotOptimize(mac);
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_HmacSm3)->Arg(512);

/// MemoryNonceStore::remember with unique nonces; threads use their own merchants.
void BM_NonceStoreRemember(benchmark::State& state) {
  static MemoryNonceStore* store = nullptr;
  if (state.thread_index() == 0) store = new MemoryNonceStore(1u << 30);
  const std::string merchant = "M" + std::to_string(state.thread_index());
  std::vector<std::string> nonces;
  for (int i = 0; i < 1 << 16; ++i) nonces.push_back("nonce-" + std::to_string(i) + "-abcdefgh");
  size_t next = 0;
  int64_t now = kNow;
  for (auto _ : state) {
    if (next == nonces.size()) {  // a new second: earlier nonces expire
      next = 0;
      now += 1000;
    }
    auto result = store->remember(merchant, nonces[next++], now + 300, now);
    benchmark::DoNotOptimize(result);
  }
  if (state.thread_index() == 0) {
    delete store;
    store = nullptr;
  }
}
BENCHMARK(BM_NonceStoreRemember)->Threads(1)->Threads(2)->UseRealTime();

void BM_ResponseNonce(benchmark::State& state) {
  for (auto _ : state) {
    auto nonce = opp::gateway::auth::next_response_nonce();
    benchmark::DoNotOptimize(nonce);
  }
}
BENCHMARK(BM_ResponseNonce);

/// The nonce as crypto::generate_nonce makes it: one RAND_bytes call per nonce.
void BM_CryptoGenerateNonce(benchmark::State& state) {
  for (auto _ : state) {
    auto nonce = opp::crypto::generate_nonce();
    benchmark::DoNotOptimize(nonce);
  }
}
BENCHMARK(BM_CryptoGenerateNonce);

void BM_SignResponseHmacSha256(benchmark::State& state) {
  auto platform_key = opp::crypto::PrivateKey::generate();
  ResponseSigner signer(*platform_key);
  AuthenticatedMerchant merchant{std::make_shared<const Merchant>(hmac_merchant()),
                                 SignType::kHmacSha256};
  for (auto _ : state) {
    auto headers = signer.sign(merchant, kResponseBody, kNow);
    benchmark::DoNotOptimize(headers);
  }
}
BENCHMARK(BM_SignResponseHmacSha256);

void BM_SignResponseRsa2(benchmark::State& state) {
  auto platform_key = opp::crypto::PrivateKey::generate();
  ResponseSigner signer(*platform_key);
  Merchant rsa_merchant;
  rsa_merchant.id = "M-RSA";
  rsa_merchant.sign_type = SignType::kRsa2;
  rsa_merchant.verify_key = platform_key->public_key();
  AuthenticatedMerchant merchant{std::make_shared<const Merchant>(std::move(rsa_merchant)),
                                 SignType::kRsa2};
  for (auto _ : state) {
    auto headers = signer.sign(merchant, kResponseBody, kNow);
    benchmark::DoNotOptimize(headers);
  }
}
BENCHMARK(BM_SignResponseRsa2);

}  // namespace
