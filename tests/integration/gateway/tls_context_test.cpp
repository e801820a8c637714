// The TLS listener's contexts: certificate and key files that cannot be used are one
// clear error each, and a reload either publishes a whole new context or keeps the old.
#include <openssl/ssl.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>

#include "gateway/http/tls_context.hpp"
#include "test_certificates.hpp"

using opp::gateway::config::TlsConfig;
using opp::gateway::http::TlsContextStore;

namespace {

TlsConfig settings_for(const opp::test::TestCertificates& certificates,
                       const std::string& name = "server") {
  TlsConfig settings;
  settings.cert = certificates.cert(name);
  settings.key = certificates.key(name);
  return settings;
}

/// The one-line error of opening `settings`, "" when it opens.
std::string error_of(const TlsConfig& settings) {
  auto store = TlsContextStore::open(settings);
  if (store) return "";
  CHECK(store.error().sub_code == "tls-config");
  CHECK(store.error().message.find('\n') == std::string::npos);
  return store.error().message;
}

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

}  // namespace

TEST_CASE("tls context: a certificate and its key open", "[tls]") {
  opp::test::TestCertificates certificates;
  auto store = TlsContextStore::open(settings_for(certificates));
  REQUIRE(store);
  REQUIRE((*store)->current());
  SSL_CTX* native = (*store)->current()->native_handle();
  CHECK(SSL_CTX_get_min_proto_version(native) == TLS1_2_VERSION);
  CHECK((SSL_CTX_get_options(native) & SSL_OP_NO_RENEGOTIATION) != 0);
  CHECK((SSL_CTX_get_options(native) & SSL_OP_NO_COMPRESSION) != 0);
  // make-test-certs.sh makes certificates valid for a year.
  CHECK((*store)->not_after() > std::time(nullptr) + 300 * 86400);

  TlsConfig strict = settings_for(certificates);
  strict.min_version = "1.3";
  auto strict_store = TlsContextStore::open(strict);
  REQUIRE(strict_store);
  CHECK(SSL_CTX_get_min_proto_version((*strict_store)->current()->native_handle()) ==
        TLS1_3_VERSION);
}

TEST_CASE("tls context: unusable files are one line naming the key and the file", "[tls]") {
  opp::test::TestCertificates certificates;
  certificates.make("other");
  const auto dir = certificates.dir();
  TlsConfig settings = settings_for(certificates);

  SECTION("a missing certificate") {
    settings.cert = dir / "missing.crt";
    CHECK(error_of(settings) ==
          "tls.cert: cannot read " + settings.cert.string() + ": No such file or directory");
  }
  SECTION("a missing key") {
    settings.key = dir / "missing.key";
    CHECK(error_of(settings) ==
          "tls.key: cannot read " + settings.key.string() + ": No such file or directory");
  }
  SECTION("a certificate that is not PEM") {
    write(dir / "garbage.crt", "not a certificate\n");
    settings.cert = dir / "garbage.crt";
    CHECK(error_of(settings).starts_with("tls.cert: " + settings.cert.string() +
                                         " is not a PEM certificate chain ("));
  }
  SECTION("a key given as the certificate") {
    settings.cert = certificates.key();
    CHECK(error_of(settings).starts_with("tls.cert: "));
  }
  SECTION("a certificate given as the key") {
    settings.key = certificates.cert();
    CHECK(error_of(settings).starts_with("tls.key: " + settings.key.string() +
                                         " is not an unencrypted PEM private key ("));
  }
  SECTION("the key of another certificate") {
    settings.key = certificates.key("other");
    CHECK(error_of(settings) == "tls.key: " + settings.key.string() +
                                    " does not match the certificate " + settings.cert.string());
  }
  SECTION("an encrypted key: refused, never a passphrase prompt") {
    const auto encrypted = dir / "encrypted.key";
    const std::string command = "openssl pkey -in '" + certificates.key().string() +
                                "' -aes256 -passout pass:secret -out '" + encrypted.string() +
                                "' 2>/dev/null";
    REQUIRE(std::system(command.c_str()) == 0);
    settings.key = encrypted;
    CHECK(error_of(settings).starts_with("tls.key: " + encrypted.string() +
                                         " is not an unencrypted PEM private key ("));
  }
  SECTION("a file too large to be a certificate") {
    write(dir / "huge.crt", std::string((1u << 20) + 1, 'A'));
    settings.cert = dir / "huge.crt";
    CHECK(error_of(settings) == "tls.cert: " + settings.cert.string() + " is larger than 1 MiB");
  }
}

TEST_CASE("tls context: a reload publishes a new context or keeps the current one", "[tls]") {
  opp::test::TestCertificates certificates;
  auto opened = TlsContextStore::open(settings_for(certificates));
  REQUIRE(opened);
  TlsContextStore& store = **opened;
  const auto first = store.current();

  TlsConfig broken = settings_for(certificates);
  broken.key = certificates.dir() / "missing.key";
  auto refused = store.reload(broken);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().sub_code == "tls-config");
  CHECK(store.current() == first);
  CHECK(store.reload_failures() == 1);
  CHECK(store.reloads() == 0);

  certificates.make("renewed");
  TlsConfig renewed = settings_for(certificates, "renewed");
  renewed.min_version = "1.3";
  REQUIRE(store.reload(renewed));
  const auto second = store.current();
  CHECK(second != first);
  CHECK(store.reloads() == 1);
  CHECK(SSL_CTX_get_min_proto_version(second->native_handle()) == TLS1_3_VERSION);
  // A connection accepted before still holds the first context, intact.
  CHECK(first.use_count() >= 1);
  CHECK(SSL_CTX_get_min_proto_version(first->native_handle()) == TLS1_2_VERSION);
}
