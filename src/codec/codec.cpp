#include "opp/codec/codec.hpp"

#include <climits>
#include <optional>

#include "errors.hpp"
#include "json_reader.hpp"
#include "json_to_thrift.hpp"
#include "plan.hpp"
#include "scalars.hpp"
#include "thrift_to_json.hpp"
#include "wire_reader.hpp"
#include "wire_writer.hpp"

namespace opp::codec {
namespace {

using idl::TypeKind;

/// TApplicationException {1: string message, 2: i32 type}, as a descriptor so its replies
/// decode through the same machinery as everything else.
const idl::StructDescriptor& application_exception() {
  static const idl::StructDescriptor* descriptor = [] {
    static idl::TypeDescriptor string_type, i32_type;
    string_type.kind = TypeKind::kString;
    string_type.wire = idl::WireType::kString;
    string_type.name = "string";
    i32_type.kind = TypeKind::kI32;
    i32_type.wire = idl::WireType::kI32;
    i32_type.name = "i32";
    static idl::StructDescriptor s;
    s.kind = idl::StructDescriptor::Kind::kException;
    s.name = "TApplicationException";
    idl::FieldDescriptor message, type;
    message.id = 1;
    message.name = message.json_key = "message";
    message.type = &string_type;
    type.id = 2;
    type.name = type.json_key = "type";
    type.type = &i32_type;
    s.fields = {message, type};
    return &s;
  }();
  return *descriptor;
}

// Asked to encode a type this codec was not compiled for: the caller's mistake.
Error unknown_type(std::string_view name) {
  return Error{ErrorCode::kBadRequest, "unknown-type",
               "type " + std::string(name) + " is not known to this codec", ""};
}

/// Keeps what `buffer` wrote when `r` succeeded, else restores the caller's string.
Result<void> settle(Buffer& buffer, Result<void> r) {
  if (r)
    buffer.commit();
  else
    buffer.rollback();
  return r;
}

bool single_struct_argument(const idl::StructDescriptor& args) {
  return args.fields.size() == 1 && args.fields[0].type &&
         args.fields[0].type->kind == TypeKind::kStruct;
}

template <class W>
Result<void> write_call(const idl::FunctionDescriptor& fn, const StructPlan& args, int32_t seqid,
                        std::string_view json, const EncodeOptions& options, Buffer& out) {
  auto type = fn.oneway ? MessageType::kOneway : MessageType::kCall;
  W::message_begin(out, fn.name, static_cast<uint8_t>(type), seqid);
  if (!single_struct_argument(*args.descriptor)) return json_to_thrift(json, args, options, out);
  // Kitex convention: the JSON is the argument struct itself.
  const FieldPlan& arg = args.fields[0];
  int16_t last_id = 0;
  W::field_header(out, arg, last_id);
  Result<void> r = json_to_thrift(json, *arg.type->struct_plan, options, out);
  if (!r) return r;
  W::stop(out);
  return {};
}

template <class R>
bool read_envelope(std::string_view& bytes, std::string_view& name, uint8_t& type, int32_t& seqid) {
  R in(bytes.data(), bytes.data() + bytes.size());
  if (!in.message_begin(name, type, seqid)) return false;
  bytes.remove_prefix(static_cast<size_t>(in.position() - bytes.data()));
  return true;
}

// Picks the top-level integer and string members with the given keys out of a JSON
// object the decoder just wrote (a JsonReader handler).
struct TopLevelMembers {
  std::string_view int_key;
  std::string_view string_keys[2];
  std::optional<int64_t> int_value;
  std::optional<std::string> string_value;
  int depth = 0;
  std::string key;

  bool at_top() const { return depth == 1; }
  bool Null() { return true; }
  bool Bool(bool) { return true; }
  bool RawNumber(const char* s, unsigned len, bool) {
    int64_t v;
    if (at_top() && key == int_key && parse_decimal_i64(s, len, v) == IntParse::kOk) int_value = v;
    return true;
  }
  bool String(const char* s, unsigned len, bool) {
    if (at_top() && !string_value && !key.empty() &&
        (key == string_keys[0] || key == string_keys[1]))
      string_value.emplace(s, len);
    return true;
  }
  bool StartObject() { return ++depth, true; }
  bool EndObject(unsigned) { return --depth, true; }
  bool StartArray() { return ++depth, true; }
  bool EndArray(unsigned) { return --depth, true; }
  bool Key(const char* s, unsigned len, bool) {
    if (at_top()) key.assign(s, len);
    return true;
  }
};

TopLevelMembers read_members(std::string_view json, std::string_view int_key,
                             std::string_view string_key, std::string_view string_key2) {
  TopLevelMembers members;
  members.int_key = int_key;
  members.string_keys[0] = string_key;
  members.string_keys[1] = string_key2;
  std::string scratch;
  JsonReader reader(scratch);
  (void)reader.parse(json, members);  // our own output: always well-formed
  return members;
}

std::string_view json_key_of(const idl::StructDescriptor& type, std::string_view name) {
  for (const idl::FieldDescriptor& f : type.fields)
    if (f.name == name) return f.json_key.empty() ? f.name : f.json_key;
  return {};
}

// The §3.3 err_code / err_message of a declared exception, read from its JSON: its integer
// field `code` when >= 20000 (else 20000), its `message`/`msg` field (else the type name).
void describe_exception(const idl::StructDescriptor& type, std::string_view json, Reply& reply) {
  std::string_view message_key = json_key_of(type, "message");
  TopLevelMembers m = read_members(json, json_key_of(type, "code"), message_key,
                                   message_key.empty() ? json_key_of(type, "msg") : message_key);
  const bool own_code =
      m.int_value && *m.int_value >= kFirstBusinessCode && *m.int_value <= INT32_MAX;
  reply.err_code = own_code ? static_cast<ErrorCode>(*m.int_value) : ErrorCode::kBusinessError;
  reply.err_message = m.string_value ? *m.string_value : type.name;
}

}  // namespace

Codec::Codec(Private) : plans_(std::make_unique<PlanSet>()) {}

Result<std::shared_ptr<const Codec>> Codec::compile(std::shared_ptr<const idl::Schema> schema) {
  auto codec = std::make_shared<Codec>(Private{});
  codec->schema_ = std::move(schema);
  PlanSet& plans = *codec->plans_;
  Result<void> built = plans.build([&] {
    plans.add(application_exception());
    for (const auto& program : codec->schema_->programs()) {
      for (const auto& s : program->structs) plans.add(*s);
      for (const auto& service : program->services) {
        for (const auto& fn : service->functions) {
          if (fn->args) plans.add(*fn->args);
          if (fn->result) plans.add(*fn->result);
        }
      }
    }
    for (const auto& s : codec->schema_->synthesized_) plans.add(*s);
  });
  if (!built) return std::move(built).error();
  return std::shared_ptr<const Codec>(std::move(codec));
}

Result<std::shared_ptr<const Codec>> Codec::compile(
    const std::vector<const idl::StructDescriptor*>& roots) {
  auto codec = std::make_shared<Codec>(Private{});
  PlanSet& plans = *codec->plans_;
  Result<void> built = plans.build([&] {
    plans.add(application_exception());
    for (const idl::StructDescriptor* s : roots) plans.add(*s);
  });
  if (!built) return std::move(built).error();
  return std::shared_ptr<const Codec>(std::move(codec));
}

Codec::~Codec() = default;

const StructPlan* Codec::find(const idl::StructDescriptor& type) const {
  return plans_->find(type);
}

Result<void> Codec::encode_struct(std::string_view json, const idl::StructDescriptor& type,
                                  const EncodeOptions& options, std::string& out) const {
  const StructPlan* plan = find(type);
  if (!plan) return unknown_type(type.name);
  Buffer buffer(out);
  Result<void> r = json_to_thrift(json, *plan, options, buffer);
  return settle(buffer, std::move(r));
}

Result<void> Codec::decode_struct(std::string_view bytes, const idl::StructDescriptor& type,
                                  const DecodeOptions& options, std::string& out) const {
  const StructPlan* plan = find(type);
  if (!plan) return unknown_type(type.name);
  Buffer buffer(out);
  Result<void> r = thrift_to_json(bytes, *plan, options, buffer);
  if (r && !bytes.empty())
    r = reply_error(std::string(options.root_name),
                    std::to_string(bytes.size()) + " trailing bytes after the value");
  return settle(buffer, std::move(r));
}

Result<void> Codec::encode_call(const idl::FunctionDescriptor& function, int32_t seqid,
                                std::string_view args_json, const EncodeOptions& options,
                                std::string& out) const {
  if (!function.args) return unknown_type(function.name);
  const StructPlan* args = find(*function.args);
  if (!args) return unknown_type(function.args->name);
  Buffer buffer(out);
  Result<void> r =
      options.protocol == Protocol::kCompact
          ? write_call<CompactWriter>(function, *args, seqid, args_json, options, buffer)
          : write_call<BinaryWriter>(function, *args, seqid, args_json, options, buffer);
  return settle(buffer, std::move(r));
}

Result<Reply> Codec::decode_reply(const idl::FunctionDescriptor& function, std::string_view message,
                                  const DecodeOptions& options, std::string& json_out) const {
  const StructPlan* result = function.result ? find(*function.result) : nullptr;
  if (!result)
    return reply_error(std::string(options.root_name),
                       "no reply type of " + function.name + " is known to this codec");
  std::string_view name;
  uint8_t type = 0;
  Reply reply;
  bool envelope = options.protocol == Protocol::kCompact
                      ? read_envelope<CompactReader>(message, name, type, reply.seqid)
                      : read_envelope<BinaryReader>(message, name, type, reply.seqid);
  std::string root(options.root_name);
  if (!envelope) return reply_error(root, "malformed message header");
  if (name != function.name)
    return reply_error(root, "reply names method \"" + std::string(name) + "\", expected \"" +
                                 function.name + "\"");
  if (type != static_cast<uint8_t>(MessageType::kReply) &&
      type != static_cast<uint8_t>(MessageType::kException))
    return reply_error(root, "unexpected message type " + std::to_string(type));
  const bool application_exception_reply = type == static_cast<uint8_t>(MessageType::kException);

  Buffer buffer(json_out);
  size_t start = buffer.size();
  Result<void> r;
  const FieldPlan* set = nullptr;
  if (application_exception_reply) {
    r = thrift_to_json(message, *find(application_exception()), options, buffer);
  } else {
    r = thrift_result_to_json(message, *result, options, buffer, set);
  }
  if (r && !message.empty())
    r = reply_error(root, std::to_string(message.size()) + " trailing bytes after the reply");
  if (r && !application_exception_reply && !set) {
    if (function.return_type && function.return_type->kind != TypeKind::kVoid)
      r = reply_error(root, "reply carries no result");
    else
      buffer.put("{}", 2);
  }
  if (Result<void> settled = settle(buffer, std::move(r)); !settled)
    return std::move(settled).error();
  std::string_view json(json_out.data() + start, json_out.size() - start);
  if (application_exception_reply) {
    reply.kind = Reply::Kind::kApplicationException;
    TopLevelMembers m = read_members(json, "type", "message", "message");
    if (m.int_value) reply.application_error_type = static_cast<int32_t>(*m.int_value);
    if (m.string_value) reply.application_error_message = std::move(*m.string_value);
  } else if (set && set->id != 0) {
    reply.kind = Reply::Kind::kDeclaredException;
    reply.exception = &function.result->fields[set->index];
    if (set->type->kind == TypeKind::kStruct)
      describe_exception(*set->type->struct_plan->descriptor, json, reply);
  }
  return reply;
}

}  // namespace opp::codec
