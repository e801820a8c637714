// AES-256-GCM sealing of merchant secrets: round trips, fresh nonces, and that a wrong
// key, an altered byte or a ciphertext moved to another row never opens.
#include "gateway/auth/secret_box.hpp"

#include <catch2/catch.hpp>

#include <set>

using opp::gateway::auth::merchant_secret_aad;
using opp::gateway::auth::SecretBox;

namespace {

SecretBox box_of(char fill) {
  auto box = SecretBox::from_key(std::string(SecretBox::kKeyBytes, fill));
  REQUIRE(box.ok());
  return std::move(box).value();
}

}  // namespace

TEST_CASE("secret box: seal then open gives the secret back", "[gateway][secret-box]") {
  const SecretBox box = box_of('k');
  for (const std::string& secret : {std::string("s"), std::string("a longer merchant secret"),
                                    std::string("\0\xff binary", 9), std::string(4096, 'x')}) {
    auto sealed = box.seal(secret, "aad");
    REQUIRE(sealed.ok());
    CHECK(sealed->size() == 1 + SecretBox::kNonceBytes + secret.size() + SecretBox::kTagBytes);
    // Longer secrets never show in the sealed bytes (a 1-byte one may, by chance).
    if (secret.size() >= 8) CHECK(sealed->find(secret) == std::string::npos);
    auto opened = box.open(*sealed, "aad");
    REQUIRE(opened.ok());
    CHECK(*opened == secret);
  }
  // Even the empty plaintext is authenticated.
  auto empty = box.seal("", "aad");
  REQUIRE(empty.ok());
  CHECK(box.open(*empty, "aad").value().empty());
  CHECK_FALSE(box.open(*empty, "other").ok());
}

TEST_CASE("secret box: every seal uses a fresh nonce", "[gateway][secret-box]") {
  const SecretBox box = box_of('k');
  std::set<std::string> nonces;
  std::set<std::string> sealed_values;
  for (int i = 0; i < 200; ++i) {
    auto sealed = box.seal("same secret", "same aad");
    REQUIRE(sealed.ok());
    nonces.insert(sealed->substr(1, SecretBox::kNonceBytes));
    sealed_values.insert(*sealed);
  }
  CHECK(nonces.size() == 200);
  CHECK(sealed_values.size() == 200);
}

TEST_CASE("secret box: altered, moved or foreign ciphertexts do not open",
          "[gateway][secret-box]") {
  const SecretBox box = box_of('k');
  const std::string aad = merchant_secret_aad("M1", 1);
  auto sealed = box.seal("top-secret", aad);
  REQUIRE(sealed.ok());

  // Any single flipped bit, in format byte, nonce, ciphertext or tag.
  for (size_t i = 0; i < sealed->size(); ++i) {
    std::string altered = *sealed;
    altered[i] = static_cast<char>(altered[i] ^ 0x01);
    auto opened = box.open(altered, aad);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().sub_code == "secret-undecryptable");
  }
  // Truncated, extended, empty.
  CHECK_FALSE(box.open(sealed->substr(0, sealed->size() - 1), aad).ok());
  CHECK_FALSE(box.open(*sealed + "x", aad).ok());
  CHECK_FALSE(box.open("", aad).ok());
  // Bound to its row: another merchant or key version does not open it.
  CHECK_FALSE(box.open(*sealed, merchant_secret_aad("M2", 1)).ok());
  CHECK_FALSE(box.open(*sealed, merchant_secret_aad("M1", 2)).ok());
  // Another key does not open it; the message shows no bytes.
  auto foreign = box_of('j').open(*sealed, aad);
  REQUIRE_FALSE(foreign.ok());
  CHECK(foreign.error().message.find("top-secret") == std::string::npos);
  CHECK(box.open(*sealed, aad).value() == "top-secret");
}

TEST_CASE("secret box: associated data keeps ids and versions apart", "[gateway][secret-box]") {
  CHECK(merchant_secret_aad("M1", 12) != merchant_secret_aad("M11", 2));
  CHECK(merchant_secret_aad("a", 1) != merchant_secret_aad("a", 10));
  CHECK(merchant_secret_aad("M1", 1) == merchant_secret_aad("M1", 1));
}

TEST_CASE("secret box: keys must be 32 bytes", "[gateway][secret-box]") {
  for (size_t size : {0, 16, 31, 33}) {
    auto box = SecretBox::from_key(std::string(size, 'k'));
    REQUIRE_FALSE(box.ok());
    CHECK(box.error().sub_code == "bad-secret-key");
    CHECK(box.error().message == "the secret key must be 32 bytes, got " + std::to_string(size));
  }
}
