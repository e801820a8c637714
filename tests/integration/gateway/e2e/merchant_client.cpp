#include "merchant_client.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <atomic>
#include <chrono>
#include <random>
#include <stdexcept>

#include "opp/crypto/canonical_string.hpp"
#include "opp/crypto/response_signature.hpp"

namespace opp::gateway::e2e {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;

HttpResponse convert(bhttp::response<bhttp::string_body>& r) {
  HttpResponse out;
  out.status = static_cast<int>(r.result_int());
  for (const auto& field : r) {
    std::string name = std::string(field.name_string().data(), field.name_string().size());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(field.value().data(), field.value().size());
  }
  out.body = std::move(r.body());
  out.keep_alive = r.keep_alive();
  return out;
}

void set_timeout(tcp::socket& socket, int seconds) {
  timeval tv{seconds, 0};
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

}  // namespace

rapidjson::Document HttpResponse::json() const {
  rapidjson::Document doc;
  doc.Parse(body.c_str(), body.size());
  return doc;
}

int64_t HttpResponse::err_code() const {
  auto doc = json();
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("err_code")) return -1;
  return doc["err_code"].GetInt64();
}

std::string HttpResponse::sub_code() const {
  auto doc = json();
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("sub_code")) return "";
  return doc["sub_code"].GetString();
}

struct HttpClient::Impl {
  uint16_t port;
  std::optional<TlsClientOptions> tls;
  asio::io_context io;
  std::optional<ssl::context> tls_context;
  std::optional<tcp::socket> plain;
  std::optional<beast::ssl_stream<tcp::socket>> secure;
  beast::flat_buffer buffer;
  int connections = 0;

  Impl(uint16_t p, std::optional<TlsClientOptions> t) : port(p), tls(std::move(t)) {
    if (!tls) return;
    tls_context.emplace(ssl::context::tls_client);
    tls_context->load_verify_file(tls->ca_file.string());
    tls_context->set_verify_mode(ssl::verify_peer);
    if (tls->max_version)
      SSL_CTX_set_max_proto_version(tls_context->native_handle(), tls->max_version);
  }

  void connect() {
    tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    set_timeout(socket, 30);
    buffer.clear();
    ++connections;
    if (!tls) {
      plain.emplace(std::move(socket));
      return;
    }
    secure.emplace(std::move(socket), *tls_context);
    SSL_set_tlsext_host_name(secure->native_handle(), tls->host_name.c_str());
    secure->set_verify_callback(ssl::host_name_verification(tls->host_name));
    beast::error_code ec;
    secure->handshake(ssl::stream_base::client, ec);
    if (ec) {
      secure.reset();
      throw std::runtime_error("TLS handshake failed: " + ec.message());
    }
  }
  void disconnect() {
    plain.reset();
    secure.reset();
  }
  /// `exchange(stream)` on the open connection, opening one first when there is none.
  template <class Exchange>
  void on_stream(Exchange&& exchange) {
    if (!plain && !secure) connect();
    if (secure)
      exchange(*secure);
    else
      exchange(*plain);
  }
};

HttpClient::HttpClient(uint16_t port, std::optional<TlsClientOptions> tls)
    : impl_(new Impl(port, std::move(tls))) {}
HttpClient::~HttpClient() {
  delete impl_;
}

HttpResponse HttpClient::request(const std::string& method, const std::string& target,
                                 const std::string& content_type, const std::string& body,
                                 const std::vector<std::pair<std::string, std::string>>& headers) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    if (!content_type.empty()) req.set(bhttp::field::content_type, content_type);
    for (const auto& [name, value] : headers) req.set(name, value);
    req.body() = body;
    req.prepare_payload();
    beast::error_code ec;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 << 20);
    impl_->on_stream([&](auto& stream) {
      bhttp::write(stream, req, ec);
      if (!ec) bhttp::read(stream, impl_->buffer, parser, ec);
    });
    if (ec) {
      impl_->disconnect();  // the server closed a kept-alive connection: once more
      if (attempt == 0) continue;
      throw std::runtime_error("HTTP request failed: " + ec.message());
    }
    bhttp::response<bhttp::string_body> res = parser.release();
    HttpResponse out = convert(res);
    if (!out.keep_alive) impl_->disconnect();
    return out;
  }
  return {};
}

int HttpClient::connections() const {
  return impl_->connections;
}

std::string HttpClient::peer_subject() const {
  if (!impl_->secure) return "";
  X509* certificate = SSL_get1_peer_certificate(impl_->secure->native_handle());
  if (certificate == nullptr) return "";
  char subject[512];
  X509_NAME_oneline(X509_get_subject_name(certificate), subject, sizeof subject);
  X509_free(certificate);
  return subject;
}

std::string HttpClient::tls_version() const {
  return impl_->secure ? SSL_get_version(impl_->secure->native_handle()) : "";
}

HttpResponse HttpClient::raw(const std::string& bytes) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), impl_->port});
  set_timeout(socket, 10);
  asio::write(socket, asio::buffer(bytes));
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> res;
  beast::error_code ec;
  bhttp::read(socket, buffer, res, ec);
  if (ec) return {};
  return convert(res);
}

std::string form_encode(const Params& params) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) out += '&';
    for (const std::string* part : {&key, &value}) {
      for (unsigned char c : *part) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
          out += static_cast<char>(c);
        } else {
          out += '%';
          out += kHex[c >> 4];
          out += kHex[c & 15];
        }
      }
      if (part == &key) out += '=';
    }
  }
  return out;
}

std::string json_encode(const Params& params) {
  std::string out = "{";
  for (const auto& [key, value] : params) {
    if (out.size() > 1) out += ',';
    for (const std::string* part : {&key, &value}) {
      out += '"';
      for (char c : *part) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      out += '"';
      if (part == &key) out += ':';
    }
  }
  return out + "}";
}

std::string fresh_nonce() {
  static std::atomic<uint64_t> counter{0};
  static const uint64_t seed = std::random_device{}();
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::mt19937_64 random(seed ^ (++counter * 0x9E3779B97F4A7C15ull));
  std::string nonce;
  for (int i = 0; i < 24; ++i) nonce += kChars[random() % 36];
  return nonce;
}

MerchantClient::MerchantClient(HttpClient& http, MerchantKey key, std::string platform_key_pem)
    : http_(http), key_(std::move(key)), platform_key_pem_(std::move(platform_key_pem)) {}

Params MerchantClient::params(const std::string& method, const std::string& biz_params) const {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return Params{{"merchant_id", key_.id},
                {"method", method},
                {"biz_params", biz_params},
                {"timestamp", std::to_string(now)},
                {"nonce_str", fresh_nonce()},
                {"sign_type", std::string(crypto::sign_type_name(key_.sign_type))}};
}

void MerchantClient::sign(Params& params) const {
  Params signed_params = params;
  signed_params.erase("sign");
  for (auto it = signed_params.begin(); it != signed_params.end();)
    it = it->second.empty() ? signed_params.erase(it) : std::next(it);
  const std::string canonical = crypto::canonical_string(signed_params);
  crypto::SigningKey key = key_.rsa ? crypto::SigningKey(*key_.rsa)
                                    : crypto::SigningKey(crypto::HmacSecret{key_.secret});
  auto signature = crypto::sign(key_.sign_type, key, canonical);
  if (!signature) throw std::runtime_error("signing failed: " + signature.error().message);
  params["sign"] = *signature;
}

HttpResponse MerchantClient::call(const std::string& svc, const std::string& method,
                                  const std::string& biz_params) {
  Params p = params(method, biz_params);
  sign(p);
  return post(svc, p);
}

HttpResponse MerchantClient::post(const std::string& svc, const Params& params, bool as_json,
                                  const std::vector<std::pair<std::string, std::string>>& headers) {
  return http_.request("POST", "/gateway/" + svc,
                       as_json ? "application/json" : "application/x-www-form-urlencoded",
                       as_json ? json_encode(params) : form_encode(params), headers);
}

bool MerchantClient::verify(const HttpResponse& response) const {
  crypto::ResponseSignature headers{
      response.header("x-opp-timestamp"), response.header("x-opp-nonce"),
      response.header("x-opp-sign-type"), response.header("x-opp-signature")};
  if (headers.signature.empty()) return false;
  if (key_.sign_type == crypto::SignType::kRsa2) {
    auto platform = crypto::PublicKey::from_pem(platform_key_pem_);
    return platform && crypto::verify_response(*platform, headers, response.body).ok();
  }
  return crypto::verify_response(crypto::HmacSecret{key_.secret}, headers, response.body).ok();
}

}  // namespace opp::gateway::e2e
