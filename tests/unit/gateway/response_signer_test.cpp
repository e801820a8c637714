#include "gateway/auth/response_signer.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <mutex>
#include <set>
#include <thread>

#include "auth_test_support.hpp"
#include "gateway/auth/response_nonce.hpp"
#include "opp/crypto/hex.hpp"
#include "opp/crypto/hmac.hpp"
#include "opp/crypto/rsa2.hpp"

using namespace opp::gateway::auth;
using namespace opp::gateway::auth::test;
using opp::crypto::SignType;

namespace {

constexpr int64_t kNow = 1700000000;
const std::string kBody = R"({"err_code":0,"err_message":"ok","request_id":"r-1","data":{}})";

const opp::crypto::PrivateKey& platform_key() {
  static const opp::crypto::PrivateKey key = [] {
    auto generated = opp::crypto::PrivateKey::generate();
    if (!generated) throw std::runtime_error("RSA key generation failed");
    return *generated;
  }();
  return key;
}

AuthenticatedMerchant authenticated(Merchant merchant) {
  SignType type = merchant.sign_type;
  return AuthenticatedMerchant{std::make_shared<const Merchant>(std::move(merchant)), type};
}

bool is_nonce_str(const std::string& text) {
  return text.size() == 32 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

TEST_CASE("HMAC responses are signed with the merchant's secret", "[gateway][response]") {
  ResponseSigner signer(platform_key());
  for (SignType type : {SignType::kHmacSha256, SignType::kHmacSm3}) {
    INFO(opp::crypto::sign_type_name(type));
    auto merchant = authenticated(hmac_merchant("M1", type, "merchant-secret"));
    auto headers = signer.sign(merchant, kBody, kNow);
    REQUIRE(headers.ok());
    CHECK(headers->timestamp == "1700000000");
    CHECK(is_nonce_str(headers->nonce));
    CHECK(headers->sign_type == opp::crypto::sign_type_name(type));
    // Independently: HMAC of timestamp \n nonce \n body \n.
    auto mac =
        opp::crypto::hmac(type == SignType::kHmacSm3 ? opp::crypto::HmacDigest::kSm3
                                                     : opp::crypto::HmacDigest::kSha256,
                          "merchant-secret", "1700000000\n" + headers->nonce + "\n" + kBody + "\n");
    REQUIRE(mac.ok());
    CHECK(headers->signature == opp::crypto::hex_encode(*mac));
    CHECK(opp::crypto::verify_response(merchant->verify_key, *headers, kBody).ok());
    // The signature covers the body's exact bytes.
    auto tampered = opp::crypto::verify_response(merchant->verify_key, *headers, kBody + " ");
    REQUIRE_FALSE(tampered.ok());
    CHECK(tampered.error().sub_code == "invalid-signature");
  }
}

TEST_CASE("RSA2 responses are signed with the platform key, not the merchant's",
          "[gateway][response]") {
  ResponseSigner signer(platform_key());
  auto merchant = authenticated(rsa_merchant("M-RSA"));
  auto headers = signer.sign(merchant, kBody, kNow);
  REQUIRE(headers.ok());
  CHECK(headers->sign_type == "RSA2");
  CHECK(headers->timestamp == "1700000000");
  const std::string signed_text = "1700000000\n" + headers->nonce + "\n" + kBody + "\n";
  CHECK(
      opp::crypto::rsa2_verify(platform_key().public_key(), signed_text, headers->signature).ok());
  CHECK(opp::crypto::verify_response(platform_key().public_key(), *headers, kBody).ok());
  CHECK_FALSE(opp::crypto::verify_response(merchant->verify_key, *headers, kBody).ok());
}

TEST_CASE("a merchant record whose key does not fit its sign type is not signed",
          "[gateway][response]") {
  ResponseSigner signer(platform_key());
  Merchant broken = rsa_merchant("M-BROKEN");
  broken.sign_type = SignType::kHmacSha256;  // but holds an RSA public key
  auto headers = signer.sign(authenticated(std::move(broken)), kBody, kNow);
  REQUIRE_FALSE(headers.ok());
  CHECK(headers.error().sub_code == "sign-type-mismatch");
}

TEST_CASE("response nonces do not repeat, across refills and threads", "[gateway][response]") {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 3000;  // several refills of each thread's buffer
  std::mutex mutex;
  std::set<std::string> seen;
  std::atomic<int> malformed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      for (int i = 0; i < kPerThread; ++i) {
        auto nonce = next_response_nonce();
        if (!nonce || !is_nonce_str(*nonce)) {
          ++malformed;
          continue;
        }
        mine.push_back(std::move(*nonce));
      }
      std::lock_guard lock(mutex);
      seen.insert(mine.begin(), mine.end());
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(malformed.load() == 0);
  CHECK(seen.size() == static_cast<size_t>(kThreads * kPerThread));
}

TEST_CASE("a forked child does not repeat its parent's buffered nonces", "[gateway][response]") {
  auto first = next_response_nonce();  // fills this thread's buffer
  REQUIRE(first.ok());
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto nonce = next_response_nonce();
    const std::string text = nonce ? *nonce : std::string("error");
    const ssize_t written = ::write(pipe_fds[1], text.data(), text.size());
    ::_exit(written == static_cast<ssize_t>(text.size()) ? 0 : 1);
  }
  ::close(pipe_fds[1]);
  auto parent = next_response_nonce();
  REQUIRE(parent.ok());
  char buffer[64] = {};
  const ssize_t length = ::read(pipe_fds[0], buffer, sizeof buffer);
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  const std::string from_child(buffer, length > 0 ? static_cast<size_t>(length) : 0);
  CHECK(is_nonce_str(from_child));
  CHECK(from_child != *parent);
}

TEST_CASE("signing is fresh per call and safe from many threads", "[gateway][response]") {
  ResponseSigner signer(platform_key());
  auto merchant = authenticated(hmac_merchant("M1", SignType::kHmacSha256, "merchant-secret"));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::string previous;
      for (int i = 0; i < 500; ++i) {
        auto headers = signer.sign(merchant, kBody, kNow + i);
        if (!headers || headers->nonce == previous ||
            !opp::crypto::verify_response(merchant->verify_key, *headers, kBody).ok()) {
          ++failures;
          continue;
        }
        previous = headers->nonce;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures.load() == 0);
}
