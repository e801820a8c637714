// application/json bodies: one object of string values, read with RapidJSON's SAX Reader
// in place — the body is copied once into the params buffer and strings are unescaped
// where they lie, so a value is never copied a second time.
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <cstring>
#include <optional>

#include "param_errors.hpp"
#include "params_builder.hpp"

namespace opp::gateway::request::detail {
namespace {

constexpr unsigned kParseFlags =
    rapidjson::kParseInsituFlag | rapidjson::kParseNumbersAsStringsFlag;

/// Accepts exactly one object whose values are strings; anything else stops the reader
/// at once (so nesting never recurses) and leaves the error to report.
class ObjectOfStrings : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, ObjectOfStrings> {
 public:
  explicit ObjectOfStrings(ParamsBuilder& builder) : builder_(builder) {}

  /// Every non-string value.
  bool Default() { return not_a_string(); }
  bool RawNumber(const char*, rapidjson::SizeType, bool) { return not_a_string(); }

  bool StartObject() {
    if (in_object_) return not_a_string();
    in_object_ = true;
    return true;
  }
  bool EndObject(rapidjson::SizeType) { return true; }

  bool Key(const char* text, rapidjson::SizeType length, bool) {
    key_ = std::string_view(text, length);
    if (key_.empty()) return fail(invalid_body("a parameter has an empty name"));
    return true;
  }

  bool String(const char* text, rapidjson::SizeType length, bool) {
    if (!in_object_) return not_a_string();
    builder_.add(key_, std::string_view(text, length));
    return true;
  }

  std::optional<Error>& error() { return error_; }

 private:
  bool not_a_string() {
    return fail(in_object_ ? invalid_param(key_, "must be a JSON string")
                           : invalid_body("body must be a JSON object"));
  }
  bool fail(Error error) {
    error_ = std::move(error);
    return false;
  }

  ParamsBuilder& builder_;
  std::string_view key_;
  bool in_object_ = false;
  std::optional<Error> error_;
};

Error malformed(const char* why, size_t offset) {
  return invalid_body(std::string("body is not valid JSON: ") + why + " at offset " +
                      std::to_string(offset));
}

}  // namespace

Result<RequestParams> parse_json_body(std::string_view body) {
  constexpr size_t kTypicalParams = 16;
  ParamsBuilder builder(body.size() + 1, kTypicalParams);
  char* text = builder.buffer();
  std::memcpy(text, body.data(), body.size());
  text[body.size()] = '\0';  // in-place parsing reads up to a NUL

  ObjectOfStrings handler(builder);
  rapidjson::InsituStringStream stream(text);
  rapidjson::Reader reader;
  const rapidjson::ParseResult parsed = reader.Parse<kParseFlags>(stream, handler);
  if (handler.error()) return std::move(*handler.error());
  if (parsed.IsError())
    return malformed(rapidjson::GetParseError_En(parsed.Code()), parsed.Offset());
  // The reader stops at a NUL byte; one inside the body leaves text after it unread.
  if (stream.Tell() != body.size()) return malformed("a NUL byte", stream.Tell());
  return std::move(builder).finish();
}

}  // namespace opp::gateway::request::detail
