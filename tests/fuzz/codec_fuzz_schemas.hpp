#pragma once
// Descriptors shared by the codec fuzz targets: dynamicgo's baseline.thrift (the benchmark
// IDL) and the codec's every-type test IDL. The first input byte picks the struct and the
// protocol: low 7 bits index kinds(), bit 7 selects TCompactProtocol.

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "opp/codec/codec.hpp"
#include "opp/idl/loader.hpp"

namespace codec_fuzz {

struct Target {
  std::shared_ptr<const opp::idl::Schema> schema;
  std::shared_ptr<const opp::codec::Codec> codec;
  std::vector<const opp::idl::StructDescriptor*> structs;
};

inline std::vector<Target>& targets() {
  static std::vector<Target> all = [] {
    std::vector<Target> out;
    for (std::string file : {std::string(OPP_SHARED_DIR) + "/bench-idl/baseline.thrift",
                             std::string(OPP_SOURCE_DIR) + "/tests/data/codec/all_types.thrift"}) {
      // baseline.thrift comes with the optional shared data; fuzz without it if absent.
      if (!std::filesystem::exists(file)) continue;
      auto loaded = opp::idl::load_idl_file(file);
      if (!loaded.schema) std::abort();
      Target t;
      t.schema = loaded.schema;
      auto compiled = opp::codec::Codec::compile(loaded.schema);
      if (!compiled) std::abort();
      t.codec = *compiled;
      for (const auto& s : loaded.schema->root().structs) t.structs.push_back(s.get());
      for (const auto& s : loaded.schema->synthesized_) t.structs.push_back(s.get());
      out.push_back(std::move(t));
    }
    return out;
  }();
  return all;
}

struct Pick {
  const opp::codec::Codec* codec;
  const opp::idl::StructDescriptor* type;
  opp::codec::Protocol protocol;
};

/// Index 0 is baseline's first struct (Simple), so payload seeds are "\0" + payload.
inline Pick pick(uint8_t selector) {
  size_t index = selector & 0x7f;
  for (const Target& t : targets()) {
    if (index < t.structs.size())
      return {t.codec.get(), t.structs[index],
              (selector & 0x80) ? opp::codec::Protocol::kCompact : opp::codec::Protocol::kBinary};
    index -= t.structs.size();
  }
  const Target& t = targets().back();
  return {t.codec.get(), t.structs[index % t.structs.size()],
          (selector & 0x80) ? opp::codec::Protocol::kCompact : opp::codec::Protocol::kBinary};
}

}  // namespace codec_fuzz
