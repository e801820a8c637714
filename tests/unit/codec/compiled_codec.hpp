#pragma once
// Codec::compile for tests: a failed compilation fails the test at once.

#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include "opp/codec/codec.hpp"

namespace opp::codec::test {

inline std::shared_ptr<const Codec> compile_codec(
    const std::vector<const idl::StructDescriptor*>& roots) {
  auto compiled = Codec::compile(roots);
  REQUIRE(compiled);
  return *compiled;
}

inline std::shared_ptr<const Codec> compile_codec(std::shared_ptr<const idl::Schema> schema) {
  auto compiled = Codec::compile(std::move(schema));
  REQUIRE(compiled);
  return *compiled;
}

}  // namespace opp::codec::test
