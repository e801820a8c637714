#include "gateway/request/content_type.hpp"

#include "param_errors.hpp"

namespace opp::gateway::request {
namespace {

constexpr std::string_view kForm = "application/x-www-form-urlencoded";
constexpr std::string_view kJson = "application/json";
constexpr std::string_view kSupported = "use application/x-www-form-urlencoded or application/json";

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (x != b[i]) return false;  // b is lowercase
  }
  return true;
}

/// The header as shown in a message: short, printable ASCII only.
std::string shown(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 64)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  if (text.size() > 64) out.append("...");
  return out;
}

/// Checks the `charset` parameter, if any, among the `;`-separated parameters.
Result<void> check_parameters(std::string_view parameters) {
  while (!parameters.empty()) {
    const size_t semicolon = parameters.find(';');
    std::string_view parameter = trim(parameters.substr(0, semicolon));
    parameters =
        semicolon == std::string_view::npos ? std::string_view() : parameters.substr(semicolon + 1);
    const size_t equals = parameter.find('=');
    if (equals == std::string_view::npos) continue;
    if (!iequals(trim(parameter.substr(0, equals)), "charset")) continue;
    std::string_view charset = trim(parameter.substr(equals + 1));
    if (charset.size() >= 2 && charset.front() == '"' && charset.back() == '"') {
      charset = charset.substr(1, charset.size() - 2);
    }
    if (!iequals(charset, "utf-8") && !iequals(charset, "us-ascii")) {
      return detail::unsupported_content_type("charset " + shown(charset) +
                                              " is not supported; params are UTF-8");
    }
  }
  return {};
}

}  // namespace

Result<BodyFormat> body_format(std::string_view content_type) {
  const size_t semicolon = content_type.find(';');
  const std::string_view media_type = trim(content_type.substr(0, semicolon));
  if (media_type.empty()) {
    return detail::unsupported_content_type("Content-Type is missing; " + std::string(kSupported));
  }
  BodyFormat format;
  if (iequals(media_type, kForm)) {
    format = BodyFormat::kForm;
  } else if (iequals(media_type, kJson)) {
    format = BodyFormat::kJson;
  } else {
    return detail::unsupported_content_type("Content-Type " + shown(media_type) +
                                            " is not supported; " + std::string(kSupported));
  }
  if (semicolon != std::string_view::npos) {
    if (auto checked = check_parameters(content_type.substr(semicolon + 1)); !checked) {
      return std::move(checked).error();
    }
  }
  return format;
}

}  // namespace opp::gateway::request
