#pragma once
// The TLS client side of notification delivery (SPEC §8): one OpenSSL context shared by
// every https:// delivery, which trusts the system CA store plus the optional
// `notify_ca_file`, and the per-connection checks (SNI, the name or IP address the
// receiver's certificate must carry). A receiver whose certificate does not verify is
// never sent the notification.

#include <boost/asio/ssl/context.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "opp/common/result.hpp"

namespace opp::payment {

using TlsClientContext = std::shared_ptr<boost::asio::ssl::context>;

/// TLS 1.2 or later, the peer's certificate required and verified against the system
/// store (SSL_CTX_set_default_verify_paths) and, when given, the PEM certificates in
/// `extra_ca_file`. Error (10006 `invalid-notify-ca-file`): the file cannot be read or
/// holds no certificate; the message names the file and the reason.
Result<TlsClientContext> make_tls_client_context(
    const std::optional<std::filesystem::path>& extra_ca_file);

/// Readies one connection to `host` (a name, or an IP literal without brackets): sends
/// SNI for a name (RFC 6066 has none for addresses) and requires the certificate to be
/// for `host`: a DNS name checked as a name (no partial wildcards), an IP literal as an
/// IP address. Error (10005 `notify-tls`) when OpenSSL refuses the setting.
Result<void> expect_peer_identity(SSL* ssl, const std::string& host);

/// Why the peer's certificate was rejected ("self-signed certificate", "hostname
/// mismatch", ...), or nothing when verification passed or never ran.
std::optional<std::string> certificate_rejection(const SSL* ssl);

}  // namespace opp::payment
