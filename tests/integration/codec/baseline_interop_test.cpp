// The benchmark payloads (dynamicgo's baseline.thrift data) through the codec and through
// Apache Thrift generated C++ agree, in both directions and both protocols.
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include "compiled_codec.hpp"

#include "baseline_types.h"
#include "opp/codec/codec.hpp"
#include "opp/idl/loader.hpp"

using namespace opp::codec;
using apache::thrift::protocol::TBinaryProtocol;
using apache::thrift::protocol::TCompactProtocol;
using apache::thrift::protocol::TProtocol;
using apache::thrift::transport::TMemoryBuffer;
using opp::codec::test::compile_codec;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string payload(const char* name) {
  return slurp(std::string(OPP_SHARED_DIR) + "/bench-idl/payloads/" + name);
}

std::shared_ptr<TProtocol> protocol_for(Protocol p, std::shared_ptr<TMemoryBuffer> buffer) {
  if (p == Protocol::kCompact) return std::make_shared<TCompactProtocol>(buffer);
  return std::make_shared<TBinaryProtocol>(buffer);
}

template <class T>
T read_generated(Protocol p, const std::string& bytes) {
  auto buffer =
      std::make_shared<TMemoryBuffer>(reinterpret_cast<uint8_t*>(const_cast<char*>(bytes.data())),
                                      static_cast<uint32_t>(bytes.size()));
  T value;
  value.read(protocol_for(p, buffer).get());
  CHECK(buffer->available_read() == 0);
  return value;
}

template <class T>
std::string write_generated(Protocol p, const T& value) {
  auto buffer = std::make_shared<TMemoryBuffer>();
  value.write(protocol_for(p, buffer).get());
  return buffer->getBufferAsString();
}

template <class T>
void check_payload(const char* type, const char* json_file, const char* bin_file) {
  auto r = opp::idl::load_idl_file(std::string(OPP_SHARED_DIR) + "/bench-idl/baseline.thrift");
  REQUIRE(r.schema);
  auto compiled = compile_codec(r.schema);
  const Codec& codec = *compiled;
  const auto* desc = r.schema->find_struct(type);
  REQUIRE(desc);
  const T reference = read_generated<T>(Protocol::kBinary, payload(bin_file));

  for (Protocol p : {Protocol::kBinary, Protocol::kCompact}) {
    INFO((p == Protocol::kCompact ? "compact" : "binary"));
    EncodeOptions eo;
    eo.protocol = p;
    DecodeOptions dopt;
    dopt.protocol = p;
    // JSON → codec → generated
    std::string bytes;
    REQUIRE(codec.encode_struct(payload(json_file), *desc, eo, bytes).ok());
    CHECK(read_generated<T>(p, bytes) == reference);
    // generated → codec → JSON → codec → generated
    std::string json;
    REQUIRE(codec.decode_struct(write_generated(p, reference), *desc, dopt, json).ok());
    bytes.clear();
    REQUIRE(codec.encode_struct(json, *desc, eo, bytes).ok());
    CHECK(read_generated<T>(p, bytes) == reference);
  }
  // The binary payload decodes directly too.
  std::string json;
  REQUIRE(codec.decode_struct(payload(bin_file), *desc, {}, json).ok());
}

}  // namespace

TEST_CASE("baseline Simple agrees with generated code", "[codec][interop]") {
  check_payload<::Simple>("Simple", "simple.json", "simple.bin");
}

TEST_CASE("baseline Nesting agrees with generated code", "[codec][interop]") {
  check_payload<::Nesting>("Nesting", "nesting.json", "nesting.bin");
}

TEST_CASE("js_conv i64 is written as a string and read back exactly", "[codec][interop]") {
  auto r = opp::idl::load_idl_file(std::string(OPP_SHARED_DIR) + "/bench-idl/baseline.thrift");
  REQUIRE(r.schema);
  auto compiled = compile_codec(r.schema);
  const Codec& codec = *compiled;
  std::string json;
  REQUIRE(
      codec.decode_struct(payload("simple.bin"), *r.schema->find_struct("Simple"), {}, json).ok());
  CHECK(json.find(R"("I64Field":"9223372036854775807")") != std::string::npos);
  CHECK(json.find(R"("DoubleField":1.7976931348623157e+308)") != std::string::npos);
}
