// `opp-idl encode` / `opp-idl decode` (SPEC §6): JSON <-> Thrift of one struct, through the
// same codec the gateway uses.
#include <iostream>
#include <iterator>
#include <string>

#include "idl_commands.hpp"
#include "opp/codec/codec.hpp"
#include "opp/idl/loader.hpp"

namespace opp::tools {
namespace {

struct CodecArgs {
  std::string file;
  std::string type;
  codec::Protocol protocol = codec::Protocol::kBinary;
  std::vector<std::filesystem::path> include_dirs;
  std::string error;
};

CodecArgs parse_codec_args(const Args& args) {
  CodecArgs out;
  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--protocol" || a == "-I") {
      if (i + 1 == args.size()) {
        out.error = "missing value after " + a;
        return out;
      }
      const std::string& v = args[++i];
      if (a == "-I") {
        out.include_dirs.emplace_back(v);
      } else if (v == "binary") {
        out.protocol = codec::Protocol::kBinary;
      } else if (v == "compact") {
        out.protocol = codec::Protocol::kCompact;
      } else {
        out.error = "unknown protocol '" + v + "' (binary|compact)";
        return out;
      }
    } else if (a.size() > 1 && a[0] == '-') {
      out.error = "unknown option '" + a + "'";
      return out;
    } else {
      positional.push_back(a);
    }
  }
  if (positional.size() != 2) {
    out.error = "expected FILE and TYPE";
    return out;
  }
  out.file = positional[0];
  out.type = positional[1];
  return out;
}

// "Struct", "prog.Struct", "Service.function.args" or "Service.function.result".
const idl::StructDescriptor* find_type(const idl::Schema& schema, const std::string& name) {
  size_t last = name.rfind('.');
  if (last != std::string::npos) {
    std::string suffix = name.substr(last + 1);
    size_t mid = name.rfind('.', last - 1);
    if ((suffix == "args" || suffix == "result") && mid != std::string::npos) {
      std::string service_name = name.substr(0, mid);
      std::string function_name = name.substr(mid + 1, last - mid - 1);
      for (const auto& program : schema.programs()) {
        const idl::ServiceDescriptor* service = program->find_service(service_name);
        if (!service) continue;
        for (const idl::FunctionDescriptor* fn : service->all_functions())
          if (fn->name == function_name) return suffix == "args" ? fn->args : fn->result;
      }
      return nullptr;
    }
  }
  return schema.find_struct(name);
}

int run(const Args& args, bool encode) {
  const char* command = encode ? "encode" : "decode";
  CodecArgs parsed = parse_codec_args(args);
  if (!parsed.error.empty()) {
    std::cerr << "opp-idl " << command << ": " << parsed.error << "\nusage: opp-idl " << command
              << " FILE TYPE [--protocol binary|compact] [-I DIR]...\n";
    return 2;
  }
  idl::LoadOptions load_options;
  load_options.include_dirs = parsed.include_dirs;
  idl::LoadResult loaded = idl::load_idl_file(parsed.file, load_options);
  if (!loaded.schema) {
    for (const auto& e : loaded.errors) std::cerr << e.to_string() << "\n";
    return 1;
  }
  const idl::StructDescriptor* type = find_type(*loaded.schema, parsed.type);
  if (!type) {
    std::cerr << "opp-idl " << command << ": unknown type '" << parsed.type << "' in "
              << parsed.file << "\n";
    return 1;
  }
  auto compiled = codec::Codec::compile(loaded.schema);
  if (!compiled) {
    std::cerr << "opp-idl " << command << ": " << compiled.error().message << "\n";
    return 1;
  }
  const codec::Codec& codec = **compiled;
  std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  std::string output;
  Result<void> r;
  if (encode) {
    codec::EncodeOptions options;
    options.protocol = parsed.protocol;
    options.root_name = "input";
    r = codec.encode_struct(input, *type, options, output);
  } else {
    codec::DecodeOptions options;
    options.protocol = parsed.protocol;
    options.root_name = "input";
    r = codec.decode_struct(input, *type, options, output);
    output += '\n';
  }
  if (!r) {
    std::cerr << "opp-idl " << command << ": " << r.error().message << "\n";
    return 1;
  }
  std::cout.write(output.data(), static_cast<std::streamsize>(output.size()));
  std::cout.flush();
  return std::cout ? 0 : 1;
}

}  // namespace

int run_encode(const Args& args) {
  return run(args, true);
}
int run_decode(const Args& args) {
  return run(args, false);
}

}  // namespace opp::tools
