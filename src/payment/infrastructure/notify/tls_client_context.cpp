#include "payment/infrastructure/notify/tls_client_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace opp::payment {
namespace {

namespace ssl = boost::asio::ssl;

Error ca_file_error(const std::filesystem::path& file, const std::string& reason) {
  return Error{ErrorCode::kServerHandleFail,
               "invalid-notify-ca-file",
               "cannot use " + file.string() + ": " + reason,
               {}};
}

/// OpenSSL's reason for its latest error; the queue is cleared so it cannot surface in a
/// later, unrelated call on this thread.
std::string openssl_reason() {
  const unsigned long code = ERR_peek_last_error();
  const char* reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
  ERR_clear_error();
  return reason != nullptr ? reason : "unknown OpenSSL error";
}

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

Result<TlsClientContext> make_tls_client_context(
    const std::optional<std::filesystem::path>& extra_ca_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_verify(native, SSL_VERIFY_PEER, nullptr);
  // A machine without a CA bundle still starts: it then trusts only notify_ca_file.
  SSL_CTX_set_default_verify_paths(native);
  ERR_clear_error();
  if (extra_ca_file) {
    // Opened here first for a reason a person can act on (errno), which OpenSSL's
    // "system lib" does not give.
    std::ifstream probe(*extra_ca_file);
    if (!probe) return ca_file_error(*extra_ca_file, std::strerror(errno));
    if (SSL_CTX_load_verify_locations(native, extra_ca_file->c_str(), nullptr) != 1) {
      return ca_file_error(*extra_ca_file, "no PEM certificate loaded (" + openssl_reason() + ")");
    }
  }
  return context;
}

Result<void> expect_peer_identity(SSL* ssl, const std::string& host) {
  bool accepted = false;
  if (is_ip_literal(host)) {
    accepted = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) == 1;
  } else {
    SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    accepted =
        SSL_set_tlsext_host_name(ssl, host.c_str()) == 1 && SSL_set1_host(ssl, host.c_str()) == 1;
  }
  if (!accepted) {
    return Error{ErrorCode::kRequestServerFail,
                 "notify-tls",
                 "notify_url host " + host + " cannot be checked: " + openssl_reason(),
                 {}};
  }
  return {};
}

std::optional<std::string> certificate_rejection(const SSL* ssl) {
  const long result = SSL_get_verify_result(ssl);
  if (result == X509_V_OK) return std::nullopt;
  return std::string(X509_verify_cert_error_string(result));
}

}  // namespace opp::payment
