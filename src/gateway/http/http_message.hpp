#pragma once
// What the HTTP layer hands the gateway and gets back: plain values, no Beast types, so
// the request pipeline reads without the transport's vocabulary.

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opp::gateway::http {

enum class Method : uint8_t { kGet, kHead, kPost, kOptions, kOther };

/// A request's headers as sent, in one buffer: two allocations however many there are
/// (copied only when a plugin may read them).
class HeaderList {
 public:
  HeaderList() = default;
  HeaderList(std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
    for (const auto& [name, value] : fields) add(name, value);
  }
  void reserve(size_t fields, size_t bytes) {
    fields_.reserve(fields);
    bytes_.reserve(bytes);
  }
  void add(std::string_view name, std::string_view value) {
    fields_.push_back({static_cast<uint32_t>(bytes_.size()), static_cast<uint32_t>(name.size()),
                       static_cast<uint32_t>(value.size())});
    bytes_.append(name).append(value);
  }
  /// The first value of `name` (ASCII case-insensitive), or nullopt.
  std::optional<std::string_view> find(std::string_view name) const {
    for (const Field& f : fields_) {
      const std::string_view key(bytes_.data() + f.at, f.name_size);
      if (key.size() == name.size() &&
          std::equal(key.begin(), key.end(), name.begin(),
                     [](char a, char b) { return (a | 0x20) == (b | 0x20); }))
        return std::string_view(bytes_.data() + f.at + f.name_size, f.value_size);
    }
    return std::nullopt;
  }
  size_t size() const { return fields_.size(); }

 private:
  struct Field {
    uint32_t at, name_size, value_size;
  };
  std::string bytes_;
  std::vector<Field> fields_;
};

/// One request as read off a connection. The body is owned here.
struct IncomingRequest {
  Method method = Method::kOther;
  std::string target;  ///< path and query, as sent
  std::string content_type;
  std::string origin;  ///< the Origin header, for CORS
  std::string body;
  std::string request_id;  ///< the client's X-Request-Id when well-formed, else generated
  std::string client_address;
  /// Every header as sent, only when a plugin may read them (HttpHost::keep_headers).
  HeaderList headers;

  /// The path part of target (before '?').
  std::string_view path() const {
    std::string_view t(target);
    return t.substr(0, t.find('?'));
  }
};

/// One response. Content-Length, Date and X-Request-Id are added by the HTTP layer.
struct OutgoingResponse {
  uint16_t status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool close = false;  ///< close the connection after this response
};

}  // namespace opp::gateway::http
