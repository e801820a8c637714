// The project's own request parsing and signature code as a command line, so the example
// merchant clients are checked against the implementation the gateway runs rather than
// against a second copy of the rules written in the test.
//
//   signature_oracle check-request CONTENT_TYPE SIGN_TYPE KEY_FILE < BODY
//     Decodes BODY as the gateway does (parse_request_params, check_envelope), prints
//     the canonical string and exits 0 when `sign` verifies under KEY_FILE (the raw
//     secret for HMAC types, the merchant's public key PEM for RSA2); else exits 1 with
//     the error on stderr.
//   signature_oracle sign-response SIGN_TYPE KEY_FILE TIMESTAMP NONCE < BODY
//     Prints the X-Opp-Signature value for BODY (KEY_FILE: the raw secret, or the
//     platform private key PEM for RSA2), as the gateway's response signer computes it.
// Exit codes: 0 ok, 1 the check failed, 2 usage or unreadable input.

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include "gateway/request/canonical_params.hpp"
#include "gateway/request/envelope.hpp"
#include "gateway/request/request_params.hpp"
#include "opp/crypto/keys.hpp"
#include "opp/crypto/response_signature.hpp"
#include "opp/crypto/signature.hpp"

namespace {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

int usage() {
  std::cerr << "usage: signature_oracle check-request CONTENT_TYPE SIGN_TYPE KEY_FILE < BODY\n"
               "       signature_oracle sign-response SIGN_TYPE KEY_FILE TIMESTAMP NONCE < BODY\n";
  return kUsage;
}

int failed(const opp::Error& error) {
  std::cerr << "signature_oracle: " << static_cast<int>(error.code) << " " << error.sub_code << ": "
            << error.message << "\n";
  return kFailed;
}

bool read_file(const char* path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

std::string read_stdin() {
  std::ostringstream body;
  body << std::cin.rdbuf();
  return body.str();
}

int check_request(const std::string& content_type, const std::string& sign_type_name,
                  const std::string& key_material) {
  auto type = opp::crypto::parse_sign_type(sign_type_name);
  if (!type) return failed(type.error());
  auto key = opp::crypto::make_verify_key(*type, key_material);
  if (!key) return failed(key.error());
  const std::string body = read_stdin();
  auto params = opp::gateway::request::parse_request_params(content_type, body);
  if (!params) return failed(params.error());
  auto envelope = opp::gateway::request::check_envelope(*params);
  if (!envelope) return failed(envelope.error());
  if (envelope->sign_type != sign_type_name) {
    std::cerr << "signature_oracle: the request says sign_type " << envelope->sign_type << "\n";
    return kFailed;
  }
  const std::string canonical = opp::gateway::request::canonical_string(*params);
  std::cout << canonical << std::flush;
  auto verified = opp::crypto::verify_merchant_signature(*type, *key, canonical, envelope->sign);
  return verified ? kOk : failed(verified.error());
}

int sign_response(const std::string& sign_type_name, const std::string& key_material,
                  const std::string& timestamp, const std::string& nonce) {
  auto type = opp::crypto::parse_sign_type(sign_type_name);
  if (!type) return failed(type.error());
  char* end = nullptr;
  const long long seconds = std::strtoll(timestamp.c_str(), &end, 10);
  if (timestamp.empty() || *end != '\0') return usage();
  opp::crypto::SigningKey key = opp::crypto::HmacSecret{key_material};
  if (!opp::crypto::is_hmac(*type)) {
    auto private_key = opp::crypto::PrivateKey::from_pem(key_material);
    if (!private_key) return failed(private_key.error());
    key = *private_key;
  }
  const std::string body = read_stdin();
  auto signature = opp::crypto::sign_response(*type, key, body, seconds, nonce);
  if (!signature) return failed(signature.error());
  std::cout << signature->signature << "\n";
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string command = argv[1];
  std::string key;
  if (command == "check-request" && argc == 5) {
    if (!read_file(argv[4], key)) return usage();
    return check_request(argv[2], argv[3], key);
  }
  if (command == "sign-response" && argc == 6) {
    if (!read_file(argv[3], key)) return usage();
    return sign_response(argv[2], key, argv[4], argv[5]);
  }
  return usage();
}
