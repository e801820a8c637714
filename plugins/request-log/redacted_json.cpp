#include "request-log/redacted_json.hpp"

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

namespace opp::plugins::request_log {
namespace {

using rapidjson::SizeType;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// Forwards the reader's events to the writer, except the subtree after a listed key,
// which becomes one "***". `skipping` counts the containers open inside such a subtree.
class RedactingHandler {
 public:
  RedactingHandler(Writer& writer, const RedactFields& fields) : writer_(writer), fields_(fields) {}

  bool too_deep() const { return too_deep_; }

  bool Null() {
    return scalar([&] { return writer_.Null(); });
  }
  bool Bool(bool b) {
    return scalar([&] { return writer_.Bool(b); });
  }
  // With kParseNumbersAsStringsFlag every number arrives as RawNumber; the typed ones
  // are here for the reader's interface.
  bool Int(int i) {
    return scalar([&] { return writer_.Int(i); });
  }
  bool Uint(unsigned u) {
    return scalar([&] { return writer_.Uint(u); });
  }
  bool Int64(int64_t i) {
    return scalar([&] { return writer_.Int64(i); });
  }
  bool Uint64(uint64_t u) {
    return scalar([&] { return writer_.Uint64(u); });
  }
  bool Double(double d) {
    return scalar([&] { return writer_.Double(d); });
  }
  bool RawNumber(const char* s, SizeType n, bool) {
    // Not writer_.RawNumber: RapidJSON 1.1 writes that one as a quoted string.
    return scalar([&] { return writer_.RawValue(s, n, rapidjson::kNumberType); });
  }
  bool String(const char* s, SizeType n, bool) {
    return scalar([&] { return writer_.String(s, n); });
  }
  bool Key(const char* s, SizeType n, bool) {
    if (skipping_ > 0) return true;
    redact_next_ = std::binary_search(fields_.begin(), fields_.end(), std::string_view(s, n));
    return writer_.Key(s, n);
  }
  bool StartObject() {
    return start([&] { return writer_.StartObject(); });
  }
  bool EndObject(SizeType) {
    return end([&] { return writer_.EndObject(); });
  }
  bool StartArray() {
    return start([&] { return writer_.StartArray(); });
  }
  bool EndArray(SizeType) {
    return end([&] { return writer_.EndArray(); });
  }

 private:
  template <class F>
  bool scalar(F write) {
    if (skipping_ > 0) return true;
    if (redact_next_) return masked();
    return write();
  }
  template <class F>
  bool start(F write) {
    // Counted inside masked values too: the reader recurses there as well.
    if (++depth_ > kMaxRedactDepth) {
      too_deep_ = true;
      return false;  // stops the reader
    }
    if (skipping_ > 0) {
      ++skipping_;
      return true;
    }
    if (redact_next_) {
      skipping_ = 1;
      return masked();
    }
    return write();
  }
  template <class F>
  bool end(F write) {
    --depth_;
    if (skipping_ > 0) {
      --skipping_;
      return true;
    }
    return write();
  }
  bool masked() {
    redact_next_ = false;
    return writer_.String("***");
  }

  Writer& writer_;
  const RedactFields& fields_;
  int depth_ = 0;
  int skipping_ = 0;
  bool redact_next_ = false;
  bool too_deep_ = false;
};

}  // namespace

RedactResult redact_json(std::string_view json, const RedactFields& fields, std::string& out) {
  out.clear();
  // One buffer and writer per thread: formatting a line allocates nothing once warm.
  thread_local rapidjson::StringBuffer buffer;
  thread_local Writer writer;
  buffer.Clear();
  writer.Reset(buffer);
  RedactingHandler handler(writer, fields);
  rapidjson::MemoryStream input(json.data(), json.size());
  rapidjson::Reader reader;
  // Recursive descent is bounded: the handler stops the reader at kMaxRedactDepth, before
  // it descends further. Encoding is validated (the line must stay valid JSON) unless the
  // text is all ASCII, the common case, where there is nothing to validate.
  constexpr unsigned kFlags = rapidjson::kParseNumbersAsStringsFlag;
  const bool ascii = std::all_of(json.begin(), json.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  const rapidjson::ParseResult parsed =
      ascii ? reader.Parse<kFlags>(input, handler)
            : reader.Parse<kFlags | rapidjson::kParseValidateEncodingFlag>(input, handler);
  if (handler.too_deep()) return RedactResult::kTooDeep;
  if (!parsed) return RedactResult::kInvalid;
  out.assign(buffer.GetString(), buffer.GetSize());
  return RedactResult::kOk;
}

}  // namespace opp::plugins::request_log
