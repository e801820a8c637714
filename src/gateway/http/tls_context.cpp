#include "gateway/http/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/buffer.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>

namespace opp::gateway::http {
namespace {

namespace ssl = boost::asio::ssl;

/// A certificate chain or a key is a few KiB; beyond this a file is not one.
constexpr size_t kMaxPemBytes = 1u << 20;

// TLS 1.2: forward-secret key exchange and AEAD ciphers only (Mozilla's "intermediate"
// list without its DHE suites, which would need parameters of their own). TLS 1.3's
// suites are OpenSSL's, all of them AEAD.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// ALPN: the gateway speaks HTTP/1.1 only. A client offering h2 alone gets no protocol
// acknowledged, which RFC 7301 allows, and may fall back to HTTP/1.1 itself.
int select_http11(SSL*, const unsigned char** out, unsigned char* out_length,
                  const unsigned char* offered, unsigned int offered_length, void*) {
  static const unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  unsigned char* selected = nullptr;
  unsigned char length = 0;
  if (SSL_select_next_proto(&selected, &length, kHttp11, sizeof kHttp11, offered, offered_length) !=
      OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_NOACK;
  *out = selected;
  *out_length = length;
  return SSL_TLSEXT_ERR_OK;
}

Error tls_error(std::string message) {
  return Error{ErrorCode::kServerHandleFail, "tls-config", std::move(message), ""};
}

Result<std::string> read_pem(const char* key, const std::filesystem::path& file) {
  std::FILE* stream = std::fopen(file.c_str(), "rb");
  if (stream == nullptr)
    return tls_error(std::string(key) + ": cannot read " + file.string() + ": " +
                     std::strerror(errno));
  std::string text;
  char buffer[16384];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, stream)) > 0 && text.size() <= kMaxPemBytes)
    text.append(buffer, n);
  const bool failed = std::ferror(stream) != 0;
  std::fclose(stream);
  if (failed) return tls_error(std::string(key) + ": cannot read " + file.string());
  if (text.size() > kMaxPemBytes)
    return tls_error(std::string(key) + ": " + file.string() + " is larger than 1 MiB");
  return text;
}

bool is_key_mismatch(const boost::system::error_code& ec) {
  const auto code = static_cast<unsigned long>(static_cast<unsigned int>(ec.value()));
  return ERR_GET_LIB(code) == ERR_LIB_X509 && (ERR_GET_REASON(code) == X509_R_KEY_VALUES_MISMATCH ||
                                               ERR_GET_REASON(code) == X509_R_KEY_TYPE_MISMATCH);
}

int64_t not_after_of(SSL_CTX* native) {
  X509* certificate = SSL_CTX_get0_certificate(native);
  std::tm tm{};
  if (certificate == nullptr || ASN1_TIME_to_tm(X509_get0_notAfter(certificate), &tm) != 1)
    return 0;
  return timegm(&tm);
}

struct Built {
  std::shared_ptr<ssl::context> context;
  int64_t not_after = 0;
};

Result<Built> build(const config::TlsConfig& settings) {
  int min_version = 0;
  if (settings.min_version == "1.2") min_version = TLS1_2_VERSION;
  if (settings.min_version == "1.3") min_version = TLS1_3_VERSION;
  if (min_version == 0)
    return tls_error("tls.min_version: expected 1.2 or 1.3, got \"" + settings.min_version + "\"");
  OPP_TRY_ASSIGN(const std::string certificate, read_pem("tls.cert", settings.cert));
  OPP_TRY_ASSIGN(const std::string key, read_pem("tls.key", settings.key));

  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, min_version);
  SSL_CTX_set_options(
      native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_cipher_list(native, kTls12Ciphers);
  SSL_CTX_set_alpn_select_cb(native, select_http11, nullptr);
  // An encrypted key is refused, never a passphrase prompt on the terminal.
  context->set_password_callback(
      [](std::size_t, ssl::context::password_purpose) { return std::string(); });

  const std::string cert_file = settings.cert.string(), key_file = settings.key.string();
  boost::system::error_code ec;
  context->use_certificate_chain(boost::asio::buffer(certificate), ec);
  if (ec)
    return tls_error("tls.cert: " + cert_file + " is not a PEM certificate chain (" + ec.message() +
                     ")");
  context->use_private_key(boost::asio::buffer(key), ssl::context::pem, ec);
  // A key of another type than the certificate's loads beside it: the check finds it out.
  const bool mismatch = ec ? is_key_mismatch(ec) : SSL_CTX_check_private_key(native) != 1;
  ERR_clear_error();
  if (mismatch)
    return tls_error("tls.key: " + key_file + " does not match the certificate " + cert_file);
  if (ec)
    return tls_error("tls.key: " + key_file + " is not an unencrypted PEM private key (" +
                     ec.message() + ")");
  return Built{std::move(context), not_after_of(native)};
}

}  // namespace

Result<std::unique_ptr<TlsContextStore>> TlsContextStore::open(const config::TlsConfig& settings) {
  OPP_TRY_ASSIGN(Built built, build(settings));
  std::unique_ptr<TlsContextStore> store(new TlsContextStore());
  store->publish(std::move(built.context), built.not_after);
  return store;
}

std::shared_ptr<ssl::context> TlsContextStore::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

Result<void> TlsContextStore::reload(const config::TlsConfig& settings) {
  Result<Built> built = build(settings);
  if (!built) {
    reload_failures_.fetch_add(1, std::memory_order_relaxed);
    return std::move(built).error();
  }
  publish(std::move(built->context), built->not_after);
  reloads_.fetch_add(1, std::memory_order_relaxed);
  return {};
}

void TlsContextStore::publish(std::shared_ptr<ssl::context> context, int64_t not_after) {
  {
    std::lock_guard lock(mutex_);
    current_.swap(context);
  }
  not_after_.store(not_after, std::memory_order_relaxed);
  // The previous context goes here, outside the lock; connections using it still hold it.
}

}  // namespace opp::gateway::http
