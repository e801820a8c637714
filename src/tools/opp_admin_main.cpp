// opp-admin: merchant and key management against the gateway's database (SPEC §3.4).
// Exit codes: 0 ok, 1 the operation failed, 2 a usage or configuration error.

#include <openssl/crypto.h>
#include <time.h>

#include <algorithm>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "admin_command_line.hpp"
#include "gateway/auth/merchant_store.hpp"
#include "gateway/config/config_loader.hpp"
#include "opp/crypto/private_file.hpp"

namespace {

using opp::gateway::auth::KeyMaterial;
using opp::gateway::auth::MerchantInfo;
using opp::gateway::auth::MerchantStore;
using opp::tools::admin::CommandLine;

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsageError = 2;

int fail(const std::string& message) {
  std::cerr << "opp-admin: " << message << "\n";
  return kFailed;
}

/// Drops one trailing line end, which `echo s > file` and a typed line add.
void drop_line_end(std::string& text) {
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty() && text.back() == '\r') text.pop_back();
}

/// The key given by --secret, --secret-file or --public-key.
opp::Result<KeyMaterial> key_material(const CommandLine& line) {
  KeyMaterial key;
  if (const std::string* secret = line.option("secret")) {
    if (*secret != "-") {
      key.bytes = *secret;
      return key;
    }
    // Bounded: a secret is at most kMaxSecretBytes; reading one byte more lets the store
    // report the size without this program holding an unbounded stream.
    std::string text;
    char c;
    while (text.size() <= opp::gateway::auth::kMaxSecretBytes + 2 && std::cin.get(c)) text += c;
    drop_line_end(text);
    key.bytes = std::move(text);
    return key;
  }
  if (const std::string* file = line.option("secret-file")) {
    auto text = opp::crypto::read_private_file(*file, {"secret file", "secret-file"});
    if (!text) return std::move(text).error();
    drop_line_end(*text);
    key.bytes = std::move(*text);
    return key;
  }
  const std::string& file = *line.option("public-key");
  auto text = opp::crypto::read_private_file(file, {"public key file", "public-key-file"});
  if (!text) return std::move(text).error();
  key.kind = KeyMaterial::Kind::kPublicKeyPem;
  key.bytes = std::move(*text);
  return key;
}

std::string utc_time(int64_t ms) {
  const time_t seconds = static_cast<time_t>(ms / 1000);
  struct tm parts {};
  gmtime_r(&seconds, &parts);
  char text[32];
  strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

std::string padded(std::string text, size_t width) {
  text.resize(std::max(width, text.size()), ' ');
  return text;
}

int list(MerchantStore& store) {
  auto merchants = store.list();
  if (!merchants) return fail(merchants.error().message);
  size_t id_width = 2;
  for (const MerchantInfo& m : *merchants) id_width = std::max(id_width, m.id.size());
  std::cout << padded("ID", id_width) << "  SIGN_TYPE    ENABLED  KEY_VERSION  UPDATED_AT\n";
  for (const MerchantInfo& m : *merchants) {
    std::cout << padded(m.id, id_width) << "  "
              << padded(std::string(opp::crypto::sign_type_name(m.sign_type)), 11) << "  "
              << padded(m.enabled ? "yes" : "no", 7) << "  "
              << padded(std::to_string(m.key_version), 11) << "  " << utc_time(m.updated_at_ms)
              << "\n";
  }
  return kOk;
}

int change_key(MerchantStore& store, const CommandLine& line) {
  std::optional<opp::crypto::SignType> sign_type;  // checked by parse_command_line
  if (const std::string* name = line.option("sign-type")) {
    sign_type = opp::crypto::parse_sign_type(*name).value();
  }
  auto key = key_material(line);
  if (!key) return fail(key.error().message);
  const std::string& id = *line.option("id");
  auto changed =
      line.command == "add" ? store.add(id, *sign_type, *key) : store.rotate(id, *key, sign_type);
  OPENSSL_cleanse(key->bytes.data(), key->bytes.size());
  if (!changed) return fail(changed.error().message);
  const std::string type(opp::crypto::sign_type_name(changed->sign_type));
  if (line.command == "add") {
    std::cout << "added merchant " << id << " (" << type << ", key version 1)\n";
  } else {
    std::cout << "rotated merchant " << id << " to key version " << changed->key_version << " ("
              << type << ")\n";
  }
  return kOk;
}

int run(const CommandLine& line, MerchantStore& store) {
  if (line.command == "list") return list(store);
  if (line.command == "add" || line.command == "rotate") return change_key(store, line);
  const bool enable = line.command == "enable";
  const std::string& id = *line.option("id");
  auto changed = store.set_enabled(id, enable);
  if (!changed) return fail(changed.error().message);
  std::cout << (enable ? "enabled" : "disabled") << " merchant " << id << "\n";
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  std::string usage_error;
  auto line = opp::tools::admin::parse_command_line(std::vector<std::string>(argv + 1, argv + argc),
                                                    usage_error);
  if (!line) {
    std::cerr << "opp-admin: " << usage_error << "\n" << opp::tools::admin::kUsage;
    return kUsageError;
  }
  if (line->help) {
    std::cout << opp::tools::admin::kUsage;
    return kOk;
  }
  if (line->version) {
    std::cout << "opp-admin " << OPP_VERSION << "\n";
    return kOk;
  }

  auto config = line->config ? opp::gateway::config::load_gateway_config(*line->config)
                             : opp::gateway::config::parse_gateway_config("", ".");
  if (!config) {
    std::cerr << "opp-admin: " << config.error().message << "\n";
    return kUsageError;
  }
  auto store = MerchantStore::open(config->database, config->auth.secret_key);
  if (!store) {
    // Not the connect string itself: a PostgreSQL one may carry a password.
    std::cerr << "opp-admin: cannot open the merchant database: " << store.error().message << "\n";
    return kFailed;
  }
  return run(*line, **store);
}
