#pragma once
// A small JSON value with ordered object members, and its one serializer. The listings are
// built as values first (schemas are reused between documents and looked at by the HTML
// and Markdown renderers), then written once; members keep the order they were added in,
// so the same descriptors always give the same bytes.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace opp::routes {

class Json {
 public:
  enum class Kind : uint8_t { kNull, kBool, kInt, kDouble, kString, kArray, kObject };
  struct Member;

  Json() = default;  ///< null
  Json(bool value) : kind_(Kind::kBool), bool_(value) {}
  Json(int value) : kind_(Kind::kInt), int_(value) {}
  Json(int64_t value) : kind_(Kind::kInt), int_(value) {}
  Json(double value) : kind_(Kind::kDouble), double_(value) {}
  Json(std::string value) : kind_(Kind::kString), string_(std::move(value)) {}
  Json(std::string_view value) : kind_(Kind::kString), string_(value) {}
  Json(const char* value) : kind_(Kind::kString), string_(value) {}

  static Json array();
  static Json object();
  /// An array of strings.
  static Json strings(const std::vector<std::string>& values);

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool as_bool() const { return bool_; }
  int64_t as_int() const { return int_; }
  double as_double() const { return double_; }
  const std::string& as_string() const { return string_; }
  const std::vector<Json>& items() const { return items_; }
  const std::vector<Member>& members() const { return members_; }

  /// Object: sets `key`, replacing an existing member in place (keeping its position).
  Json& set(std::string_view key, Json value);
  /// Object: appends a member without looking for an existing one (the caller knows the
  /// key is new); keeps building large objects linear.
  Json& add(std::string key, Json value);
  /// Array: appends.
  Json& push(Json value);
  /// Object member or nullptr.
  const Json* find(std::string_view key) const;
  Json* find(std::string_view key);
  bool empty() const { return items_.empty() && members_.empty(); }

  /// Pretty text: two-space indent, "\n" line ends, a final "\n". Strings are escaped per
  /// RFC 8259; bytes that are not valid UTF-8 become U+FFFD, so the output is always
  /// valid JSON whatever the IDL's doc comments hold. Non-finite doubles become null.
  std::string dump() const;
  /// The same on one line, without the final "\n" (for examples embedded in text).
  std::string dump_compact() const;

 private:
  void write(std::string& out, int indent, bool pretty) const;

  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  int64_t int_ = 0;
  double double_ = 0;
  std::string string_;
  std::vector<Json> items_;
  std::vector<Member> members_;
};

struct Json::Member {
  std::string key;
  Json value;
};

/// `text` as a JSON string literal, quotes included (same escaping as Json::dump).
std::string json_quote(std::string_view text);

/// `text` with every byte sequence that is not valid UTF-8 replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

/// Shortest text that reads back as `value`, always with a '.' or an exponent ("3.0").
std::string double_text(double value);

}  // namespace opp::routes
