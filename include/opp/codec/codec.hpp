#pragma once
// Descriptor-driven JSON <-> Thrift transcoding (SPEC §5), the gateway's hot path.
//
// A Codec compiles the descriptors of a Schema once into read-only "plans" (field
// headers and defaults pre-encoded, O(1) key and id lookups); every encode/decode call
// then streams straight from the input to the caller's buffer without building a DOM.
// A Codec is immutable after construction and safe to share between threads.
//
// Choices where SPEC §5 is silent:
//  - Error paths: `.field` for struct fields (by JSON key), `[i]` for list/set elements,
//    `["key"]` for map values; e.g. `biz_params.items[2].amount`, `biz_params.extra["k"]`.
//  - A JSON object key that appears twice in one struct is rejected ("duplicate key").
//  - Map keys: integer/enum keys are decimal text (enums also by name), bool keys
//    "true"/"false", double keys number text, binary keys base64, uuid keys canonical;
//    struct/container keys cannot be expressed in JSON and are rejected both ways.
//  - Decoding does not enforce `required` or union arity (a backend's reply is reported
//    as sent); it rejects NaN/±Infinity doubles and strings that are not valid UTF-8,
//    which have no JSON form.
//  - A struct literal used as a field default writes the fields it lists.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "opp/codec/options.hpp"
#include "opp/common/error.hpp"
#include "opp/common/result.hpp"
#include "opp/idl/descriptor.hpp"

namespace opp::codec {

struct StructPlan;
class PlanSet;

/// What a decoded reply message carried (SPEC §3.3).
struct Reply {
  enum class Kind : uint8_t {
    kSuccess,              ///< json = the bare result value ({} for void)
    kDeclaredException,    ///< json = the exception object; see `exception`
    kApplicationException  ///< TApplicationException; json = {"type":..,"message":..}
  };
  Kind kind = Kind::kSuccess;
  int32_t seqid = 0;
  /// kDeclaredException: the `throws` field of the function that was set.
  const idl::FieldDescriptor* exception = nullptr;
  /// kDeclaredException: err_code per SPEC §3.3 (its integer field `code` when it is
  /// >= 20000 and fits the code's 32 bits, else 20000) and err_message (its
  /// `message`/`msg` field, else the type name).
  ErrorCode err_code = ErrorCode::kOk;
  std::string err_message;
  /// kApplicationException: TApplicationException type and message.
  int32_t application_error_type = 0;
  std::string application_error_message;
};

class Codec {
  struct Private {};

 public:
  /// Compiles every struct, union, exception and function of `schema` (and of the files
  /// it includes) into a Codec that keeps the schema alive. Errors: 10006
  /// `codec-compile-failed` for a descriptor that is not fully resolved (a start-up /
  /// reload-time error, never a request-time one).
  static Result<std::shared_ptr<const Codec>> compile(std::shared_ptr<const idl::Schema> schema);
  /// Compiles `roots` and every type they reach; the caller keeps the descriptors alive.
  static Result<std::shared_ptr<const Codec>> compile(
      const std::vector<const idl::StructDescriptor*>& roots);

  explicit Codec(Private);  ///< use compile()
  ~Codec();
  Codec(const Codec&) = delete;
  Codec& operator=(const Codec&) = delete;

  /// JSON object → the Thrift struct body (fields then STOP), appended to `out`.
  /// On error `out` is restored to its size on entry.
  Result<void> encode_struct(std::string_view json, const idl::StructDescriptor& type,
                             const EncodeOptions& options, std::string& out) const;

  /// Thrift struct body → JSON object appended to `out`; the whole input must be consumed.
  Result<void> decode_struct(std::string_view bytes, const idl::StructDescriptor& type,
                             const DecodeOptions& options, std::string& out) const;

  /// A complete call message (envelope + args struct) for `function` (SPEC §3.1: a
  /// function whose only argument is a struct takes that struct's JSON directly, any
  /// other function an object keyed by argument name; empty text means `{}`).
  /// Oneway functions get message type ONEWAY. No transport framing.
  Result<void> encode_call(const idl::FunctionDescriptor& function, int32_t seqid,
                           std::string_view args_json, const EncodeOptions& options,
                           std::string& out) const;

  /// Decodes a reply message (envelope + result struct, or a TApplicationException) of
  /// `function`; the JSON of the result or exception is appended to `json_out`. Every
  /// error is the backend's: 10007 `bad-upstream-reply`.
  Result<Reply> decode_reply(const idl::FunctionDescriptor& function, std::string_view message,
                             const DecodeOptions& options, std::string& json_out) const;

  /// The compiled plan of `type`, or nullptr when this Codec does not know it.
  const StructPlan* find(const idl::StructDescriptor& type) const;

 private:
  std::shared_ptr<const idl::Schema> schema_;
  std::unique_ptr<PlanSet> plans_;
};

}  // namespace opp::codec
