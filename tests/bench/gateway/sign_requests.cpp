// bench_gateway_sign: merchant request bodies for the gateway benchmark, signed with the
// project's own crypto (opp::crypto::canonical_string + sign), and the reverse check.
//
//   bench_gateway_sign bodies --sign-type HMAC-SHA256|RSA2 (--secret-prefix P | --key FILE.pem)
//                             --count C [--first-merchant F] [--merchants M] [--orders N]
//                             [--nonce-prefix X] [--timestamp T]
//       Writes C x-www-form-urlencoded POST /gateway/payment bodies (SPEC §3.1), one a
//       line: method=queryorder of order BO.. of merchant benchm.., each with its own
//       nonce. HMAC merchants' secrets are P + merchant id. RSA2 signing costs ~0.2 ms a
//       request, too slow to do inside wrk at the rate the gateway serves, hence this.
//   bench_gateway_sign verify --sign-type HMAC-SHA256|RSA2 (--secret-prefix P | --public-key FILE)
//       Reads bodies (one a line) on stdin, checks each signature the way SPEC §3.2 says
//       the gateway does; prints "verified=N failed=M", exit 1 when any failed. Used to
//       check the signatures the wrk script computes on the fly.
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "bench_names.hpp"
#include "opp/crypto/canonical_string.hpp"
#include "opp/crypto/keys.hpp"
#include "opp/crypto/sign_type.hpp"
#include "opp/crypto/signature.hpp"

namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kUsage =
    "Usage: bench_gateway_sign bodies --sign-type T (--secret-prefix P | --key FILE.pem)\n"
    "           --count C [--first-merchant F] [--merchants M] [--orders N]\n"
    "           [--nonce-prefix X] [--timestamp T]\n"
    "       bench_gateway_sign verify --sign-type T (--secret-prefix P | --public-key FILE)\n";

struct Options {
  std::string mode;
  std::string sign_type;
  std::string secret_prefix;
  std::string key_file;
  long count = 0;
  int first_merchant = 0;
  int merchants = 1;
  int orders = 1000;
  std::string nonce_prefix = "presign";
  long long timestamp = 0;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Percent-encodes everything outside RFC 3986's unreserved set.
std::string form_encode(const std::string& value) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Decodes one x-www-form-urlencoded component ('+' is a space).
std::string form_decode(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

Params parse_form(const std::string& body) {
  Params params;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string::npos) end = body.size();
    const std::string pair = body.substr(start, end - start);
    const size_t eq = pair.find('=');
    if (!pair.empty()) {
      params.emplace_back(form_decode(pair.substr(0, eq)),
                          eq == std::string::npos ? "" : form_decode(pair.substr(eq + 1)));
    }
    start = end + 1;
  }
  return params;
}

const std::string* find_param(const Params& params, const std::string& key) {
  for (const auto& [k, v] : params) {
    if (k == key) return &v;
  }
  return nullptr;
}

opp::crypto::SignType sign_type_of(const std::string& name) {
  auto type = opp::crypto::parse_sign_type(name);
  if (!type) throw std::runtime_error("unknown sign type " + name);
  return *type;
}

int write_bodies(const Options& options) {
  const opp::crypto::SignType type = sign_type_of(options.sign_type);
  opp::crypto::SigningKey rsa_key = opp::crypto::HmacSecret{};
  if (type == opp::crypto::SignType::kRsa2) {
    auto key = opp::crypto::PrivateKey::from_pem(read_file(options.key_file));
    if (!key) throw std::runtime_error(options.key_file + ": " + key.error().message);
    rsa_key = *key;
  }
  const std::string timestamp = std::to_string(
      options.timestamp != 0 ? options.timestamp : static_cast<long long>(std::time(nullptr)));
  std::string out;
  for (long k = 0; k < options.count; ++k) {
    const std::string merchant =
        opp::bench::merchant_id(options.first_merchant + static_cast<int>(k % options.merchants));
    const std::string biz =
        R"({"out_order_no":")" +
        opp::bench::order_no(static_cast<int>((k / options.merchants) % options.orders)) + R"("})";
    Params params = {{"merchant_id", merchant},
                     {"method", "queryorder"},
                     {"biz_params", biz},
                     {"timestamp", timestamp},
                     {"nonce_str", options.nonce_prefix + std::to_string(k)},
                     {"sign_type", options.sign_type}};
    const std::string canonical = opp::crypto::canonical_string(params);
    const opp::crypto::SigningKey key =
        type == opp::crypto::SignType::kRsa2
            ? rsa_key
            : opp::crypto::SigningKey(opp::crypto::HmacSecret{options.secret_prefix + merchant});
    auto sign = opp::crypto::sign(type, key, canonical);
    if (!sign) throw std::runtime_error("sign: " + sign.error().message);
    params.emplace_back("sign", *sign);
    out.clear();
    for (const auto& [name, value] : params) {
      if (!out.empty()) out.push_back('&');
      out += name;
      out.push_back('=');
      out += form_encode(value);
    }
    out.push_back('\n');
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  return std::fflush(stdout) == 0 ? 0 : 1;
}

int verify_bodies(const Options& options) {
  const opp::crypto::SignType type = sign_type_of(options.sign_type);
  opp::crypto::VerifyKey rsa_key = opp::crypto::HmacSecret{};
  if (type == opp::crypto::SignType::kRsa2) {
    auto key = opp::crypto::make_verify_key(type, read_file(options.key_file));
    if (!key) throw std::runtime_error(options.key_file + ": " + key.error().message);
    rsa_key = *key;
  }
  long verified = 0, failed = 0;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    const Params params = parse_form(line);
    const std::string* sign = find_param(params, "sign");
    const std::string* merchant = find_param(params, "merchant_id");
    const std::string* wire_type = find_param(params, "sign_type");
    bool good = sign != nullptr && merchant != nullptr && wire_type != nullptr &&
                *wire_type == options.sign_type;
    if (good) {
      const opp::crypto::VerifyKey key =
          type == opp::crypto::SignType::kRsa2
              ? rsa_key
              : opp::crypto::VerifyKey(opp::crypto::HmacSecret{options.secret_prefix + *merchant});
      good = opp::crypto::verify_merchant_signature(type, key,
                                                    opp::crypto::canonical_string(params), *sign)
                 .ok();
    }
    if (good) {
      ++verified;
    } else if (failed++ < 3) {
      std::fprintf(stderr, "bad signature: %s\n", line.c_str());
    }
  }
  std::printf("verified=%ld failed=%ld\n", verified, failed);
  return failed == 0 && verified > 0 ? 0 : 1;
}

bool parse_options(int argc, char** argv, Options& options) {
  if (argc < 2) return false;
  options.mode = argv[1];
  if (options.mode != "bodies" && options.mode != "verify") return false;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    const std::string value = argv[i + 1];
    if (arg == "--sign-type") {
      options.sign_type = value;
    } else if (arg == "--secret-prefix") {
      options.secret_prefix = value;
    } else if (arg == "--key" || arg == "--public-key") {
      options.key_file = value;
    } else if (arg == "--count") {
      options.count = std::atol(value.c_str());
    } else if (arg == "--first-merchant") {
      options.first_merchant = std::atoi(value.c_str());
    } else if (arg == "--merchants") {
      options.merchants = std::atoi(value.c_str());
    } else if (arg == "--orders") {
      options.orders = std::atoi(value.c_str());
    } else if (arg == "--nonce-prefix") {
      options.nonce_prefix = value;
    } else if (arg == "--timestamp") {
      options.timestamp = std::atoll(value.c_str());
    } else {
      return false;
    }
  }
  if (argc % 2 != 0) return false;  // a flag without its value
  const bool rsa = options.sign_type == "RSA2";
  if (options.sign_type.empty() || (rsa && options.key_file.empty())) return false;
  if (options.mode == "bodies") {
    return options.count > 0 && options.merchants >= 1 && options.orders >= 1 &&
           options.first_merchant >= 0 && options.first_merchant + options.merchants <= 100;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse_options(argc, argv, options)) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  try {
    return options.mode == "bodies" ? write_bodies(options) : verify_bodies(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_gateway_sign: %s\n", e.what());
    return 1;
  }
}
