#include "input_cache.hpp"

#include <openssl/evp.h>

#include <algorithm>

namespace opp::catalog {

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) return "";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

const InputCache::Content& InputCache::read(const std::filesystem::path& path) {
  auto [it, inserted] = contents_.try_emplace(path.string());
  if (inserted) {
    it->second.text = idl::read_idl_file(path);
    if (it->second.text) it->second.sha256 = sha256_hex(*it->second.text);
  }
  return it->second;
}

bool InputCache::unchanged(const std::vector<Input>& inputs) {
  return !inputs.empty() && std::all_of(inputs.begin(), inputs.end(), [&](const Input& input) {
    return read(input.path).sha256 == input.sha256;
  });
}

idl::FileReader InputCache::recording_reader(std::vector<Input>& record) {
  return [this, &record](const std::filesystem::path& path) -> std::optional<std::string> {
    const Content& content = read(path);
    Input input{path.string(), content.sha256};
    if (std::find(record.begin(), record.end(), input) == record.end()) record.push_back(input);
    return content.text;
  };
}

}  // namespace opp::catalog
