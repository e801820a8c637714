#include "opp/crypto/platform_key.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <future>

#include "opp/crypto/rsa2.hpp"
#include "test_files.hpp"

using namespace opp::crypto;
namespace fs = std::filesystem;

namespace {

/// A fresh directory under the build tree, removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::path(OPP_BINARY_DIR) / "test-tmp" /
           ("platform-key-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  static int& counter() {
    static int value = 0;
    return value;
  }
};

}  // namespace

TEST_CASE("a missing platform key is generated with mode 0600", "[crypto][platform-key]") {
  TempDir dir;
  const fs::path path = dir.path / "conf" / "nested" / "platform_key.pem";
  auto key = load_or_create_platform_key(path);
  REQUIRE(key.ok());
  CHECK(key->bits() == 2048);
  REQUIRE(fs::exists(path));
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  std::ifstream file(path);
  std::string first_line;
  std::getline(file, first_line);
  CHECK(first_line == "-----BEGIN PRIVATE KEY-----");
  // No staging file is left behind.
  CHECK(std::distance(fs::directory_iterator(path.parent_path()), fs::directory_iterator()) == 1);
}

TEST_CASE("an existing platform key is loaded, not replaced", "[crypto][platform-key]") {
  TempDir dir;
  const fs::path path = dir.path / "platform_key.pem";
  auto created = load_or_create_platform_key(path);
  REQUIRE(created.ok());
  auto loaded = load_or_create_platform_key(path);
  REQUIRE(loaded.ok());
  CHECK(loaded->to_pem() == created->to_pem());

  // Signatures of the first key verify with the reloaded one: same key pair.
  auto signature = rsa2_sign(*created, "notify");
  REQUIRE(signature.ok());
  CHECK(rsa2_verify(loaded->public_key(), "notify", *signature).ok());
}

TEST_CASE("PKCS#1 platform key files load", "[crypto][platform-key]") {
  TempDir dir;
  const fs::path path = dir.path / "legacy.pem";
  std::ofstream(path) << test::testdata("rsa_pkcs1.pem");
  auto key = load_private_key_file(path);
  REQUIRE(key.ok());
  CHECK(key->public_key().to_pem() == test::testdata("pub_spki.pem"));
}

TEST_CASE("two programs starting together agree on one key", "[crypto][platform-key]") {
  TempDir dir;
  const fs::path path = dir.path / "shared_key.pem";
  auto first = std::async(std::launch::async, [&] { return load_or_create_platform_key(path); });
  auto second = std::async(std::launch::async, [&] { return load_or_create_platform_key(path); });
  auto a = first.get();
  auto b = second.get();
  REQUIRE((a.ok() && b.ok()));
  CHECK(a->to_pem() == b->to_pem());
}

TEST_CASE("platform key errors name the file, never its content", "[crypto][platform-key]") {
  TempDir dir;
  SECTION("missing file") {
    auto key = load_private_key_file(dir.path / "absent.pem");
    REQUIRE_FALSE(key.ok());
    CHECK(key.error().code == opp::ErrorCode::kServerHandleFail);
    CHECK(key.error().sub_code == "platform-key-unreadable");
    CHECK(key.error().message == "cannot read platform key " + (dir.path / "absent.pem").string());
  }
  SECTION("not a key") {
    const fs::path path = dir.path / "garbage.pem";
    std::ofstream(path) << "s3cret-material";
    auto key = load_or_create_platform_key(path);
    REQUIRE_FALSE(key.ok());
    CHECK(key.error().sub_code == "invalid-key");
    CHECK(key.error().message ==
          path.string() + ": not a PEM RSA private key (or an encrypted one)");
    CHECK(key.error().message.find("s3cret") == std::string::npos);
  }
  SECTION("unwritable directory") {
    const fs::path blocker = dir.path / "file";
    std::ofstream(blocker) << "x";
    auto key = load_or_create_platform_key(blocker / "key.pem");
    REQUIRE_FALSE(key.ok());
    CHECK(key.error().sub_code == "platform-key-unwritable");
    CHECK(key.error().message.rfind("cannot write platform key " + (blocker / "key.pem").string(),
                                    0) == 0);
  }
}
