// The key-encryption key file: generated once (0600, parent directories), never
// replaced, the same for programs starting together, and refused when malformed.
#include "gateway/auth/kek_file.hpp"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <future>
#include <vector>

#include "gateway_test_support.hpp"

using namespace opp::gateway::auth;
using opp::gateway::testing::read_file;
using opp::gateway::testing::TempDir;

TEST_CASE("kek file: generated with mode 0600 in new directories", "[gateway][kek]") {
  TempDir dir;
  const auto path = dir.path / "conf" / "nested" / "secret_kek.bin";
  auto box = load_or_create_kek(path);
  REQUIRE(box.ok());
  const std::string key = read_file(path);
  CHECK(key.size() == 32);
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  // No staging file is left behind.
  CHECK(std::distance(std::filesystem::directory_iterator(path.parent_path()),
                      std::filesystem::directory_iterator()) == 1);
  // The box is under the file's key: a box made from the bytes opens what it sealed.
  auto sealed = box->seal("secret", "aad");
  REQUIRE(sealed.ok());
  CHECK(SecretBox::from_key(key).value().open(*sealed, "aad").value() == "secret");
}

TEST_CASE("kek file: an existing key is loaded, never replaced", "[gateway][kek]") {
  TempDir dir;
  const auto path = dir.path / "kek.bin";
  REQUIRE(load_or_create_kek(path).ok());
  const std::string first = read_file(path);
  auto sealed = load_or_create_kek(path).value().seal("s", "a");
  REQUIRE(sealed.ok());
  CHECK(read_file(path) == first);
  CHECK(load_kek(path).value().open(*sealed, "a").value() == "s");
}

TEST_CASE("kek file: programs starting together agree on one key", "[gateway][kek]") {
  for (int round = 0; round < 5; ++round) {
    TempDir dir;
    const auto path = dir.path / "conf" / "kek.bin";
    std::vector<std::future<opp::Result<SecretBox>>> starts;
    for (int i = 0; i < 6; ++i) {
      starts.push_back(std::async(std::launch::async, [&] { return load_or_create_kek(path); }));
    }
    std::vector<SecretBox> boxes;
    for (auto& start : starts) {
      auto box = start.get();
      REQUIRE(box.ok());
      boxes.push_back(std::move(box).value());
    }
    auto sealed = boxes.front().seal("shared", "a");
    REQUIRE(sealed.ok());
    for (const SecretBox& box : boxes) CHECK(box.open(*sealed, "a").value() == "shared");
  }
}

TEST_CASE("kek file: errors name the file, never the key", "[gateway][kek]") {
  TempDir dir;
  SECTION("wrong size") {
    const std::string path = dir.write("short.bin", "0123456789");
    auto box = load_or_create_kek(path);
    REQUIRE_FALSE(box.ok());
    CHECK(box.error().sub_code == "bad-secret-key");
    CHECK(box.error().message == path + ": the secret key must be 32 bytes, got 10");
    CHECK(read_file(path) == "0123456789");  // not replaced
  }
  SECTION("missing, when it must exist") {
    auto box = load_kek(dir.path / "absent.bin");
    REQUIRE_FALSE(box.ok());
    CHECK(box.error().sub_code == "secret-key-unreadable");
    CHECK(box.error().message == "cannot read secret key " + (dir.path / "absent.bin").string());
    CHECK_FALSE(std::filesystem::exists(dir.path / "absent.bin"));
  }
  SECTION("unwritable directory") {
    const std::string blocker = dir.write("file", "x");
    auto box = load_or_create_kek(std::filesystem::path(blocker) / "kek.bin");
    REQUIRE_FALSE(box.ok());
    CHECK(box.error().sub_code == "secret-key-unwritable");
    CHECK(box.error().message.starts_with("cannot write secret key " + blocker + "/kek.bin: "));
  }
}
