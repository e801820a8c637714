// libFuzzer target for the IDL front end: lexer, parser, include handling, resolver and
// the Thrift-JSON dump. The input is split at the first NUL byte into main.thrift and
// other.thrift, both served from memory; without a NUL, other.thrift is a small fixed
// file, so `include "other.thrift"` in the input exercises cross-file resolution.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "opp/idl/loader.hpp"
#include "opp/idl/thrift_json.hpp"

namespace {

constexpr std::string_view kDefaultOther =
    "namespace cpp other\n"
    "enum Color { RED = 1, GREEN, BLUE = 0x10 }\n"
    "typedef list<Color> Colors\n"
    "const i32 LIMIT = 10\n"
    "struct Shared { 1: required string id (go.tag = 'json:\"ID\"'), 2: optional Colors c }\n"
    "exception Oops { 1: i32 code, 2: string message }\n"
    "service Base { void ping() (api.get = '/base/ping') }\n";

void touch_descriptors(const opp::idl::Schema& schema) {
  for (const auto& program : schema.programs()) {
    for (const auto& s : program->structs) {
      for (const auto& f : s->fields) {
        if (s->field_by_id(f.id) == nullptr || s->field_by_name(f.name) == nullptr ||
            s->field_by_json_key(f.json_key) == nullptr) {
          __builtin_trap();  // a lookup table lost a field
        }
      }
    }
    for (const auto& svc : program->services) (void)svc->all_functions();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t split = input.find('\0');
  std::string main_text(input.substr(0, split));
  std::string other_text(split == std::string_view::npos ? kDefaultOther : input.substr(split + 1));
  opp::idl::LoadOptions options;
  options.reader = [&](const std::filesystem::path& path) -> std::optional<std::string> {
    if (path == "/fuzz/main.thrift") return main_text;
    if (path == "/fuzz/other.thrift") return other_text;
    return std::nullopt;
  };
  opp::idl::LoadResult result = opp::idl::load_idl_file("/fuzz/main.thrift", options);
  if (result.schema) {
    touch_descriptors(*result.schema);
    std::string json = opp::idl::to_thrift_json(result.schema->root());
    if (json.empty()) __builtin_trap();
  } else if (result.errors.empty()) {
    __builtin_trap();  // no schema must come with a reason
  }
  return 0;
}
