#pragma once
// A merchant as tests play it: signs requests (SPEC §3.2) with its key, sends them over a
// keep-alive HTTP or HTTPS connection and verifies the gateway's response signatures (§3.3).

#include <rapidjson/document.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "opp/crypto/keys.hpp"
#include "opp/crypto/sign_type.hpp"
#include "opp/crypto/signature.hpp"

namespace opp::gateway::e2e {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  ///< names in lower case
  std::string body;
  bool keep_alive = true;

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
  /// The body as JSON (asserts nothing; HasParseError() tells).
  rapidjson::Document json() const;
  int64_t err_code() const;
  std::string sub_code() const;
};

/// How an HttpClient speaks TLS: the server's certificate must chain to `ca_file` and
/// name `host_name` (sent as SNI too).
struct TlsClientOptions {
  std::filesystem::path ca_file;
  std::string host_name = "localhost";
  int max_version = 0;  ///< e.g. TLS1_2_VERSION for a client that knows no later; 0: any
};

/// One keep-alive connection, plain or TLS; reconnects when the server closed it. A TLS
/// handshake that fails throws std::runtime_error.
class HttpClient {
 public:
  explicit HttpClient(uint16_t port, std::optional<TlsClientOptions> tls = std::nullopt);
  ~HttpClient();
  HttpResponse request(const std::string& method, const std::string& target,
                       const std::string& content_type, const std::string& body,
                       const std::vector<std::pair<std::string, std::string>>& headers = {});
  HttpResponse get(const std::string& target) { return request("GET", target, "", ""); }
  /// Sends raw bytes on a fresh plain TCP connection (even to a TLS port) and reads one
  /// response (status 0: none came).
  HttpResponse raw(const std::string& bytes);

  /// Connections opened so far: a kept-alive connection counts once.
  int connections() const;
  /// Of the open TLS connection: the server certificate's subject ("/O=.../CN=...") and
  /// the protocol ("TLSv1.3"); "" without one.
  std::string peer_subject() const;
  std::string tls_version() const;

 private:
  struct Impl;
  Impl* impl_;
};

using Params = std::map<std::string, std::string>;

/// application/x-www-form-urlencoded text of `params` (every byte but unreserved ones
/// percent-encoded).
std::string form_encode(const Params& params);
std::string json_encode(const Params& params);

struct MerchantKey {
  std::string id;
  crypto::SignType sign_type = crypto::SignType::kHmacSha256;
  std::string secret;                     ///< HMAC types
  std::optional<crypto::PrivateKey> rsa;  ///< RSA2: the merchant's private key
  std::string public_key_pem() const { return rsa->public_key().to_pem(); }
};

class MerchantClient {
 public:
  MerchantClient(HttpClient& http, MerchantKey key, std::string platform_key_pem);

  /// The envelope params of a call (timestamp now, a fresh nonce), not yet signed.
  Params params(const std::string& method, const std::string& biz_params) const;
  /// Adds `sign` over every param but `sign` and empty ones.
  void sign(Params& params) const;
  /// params + sign + POST /gateway/<svc> as a form.
  HttpResponse call(const std::string& svc, const std::string& method,
                    const std::string& biz_params);
  HttpResponse post(const std::string& svc, const Params& params, bool as_json = false,
                    const std::vector<std::pair<std::string, std::string>>& headers = {});
  /// Whether the response's X-Opp-* headers verify over its body with the key this
  /// merchant expects (its secret, or the platform key for RSA2).
  bool verify(const HttpResponse& response) const;
  const MerchantKey& key() const { return key_; }

 private:
  HttpClient& http_;
  MerchantKey key_;
  std::string platform_key_pem_;
};

/// A fresh nonce_str of 24 [a-z0-9] characters.
std::string fresh_nonce();

}  // namespace opp::gateway::e2e
