#pragma once
// The files one scan reads, each read and hashed once however many services include it,
// and the record of what one load looked at (found or not).

#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "opp/catalog/snapshot.hpp"
#include "opp/idl/loader.hpp"

namespace opp::catalog {

/// Hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

class InputCache {
 public:
  struct Content {
    std::optional<std::string> text;  ///< nullopt: missing or unreadable
    std::string sha256;               ///< "" when text is nullopt
  };

  /// The content at `path` (absolute, normalised), read on first use.
  const Content& read(const std::filesystem::path& path);

  /// Whether every input still reads as recorded.
  bool unchanged(const std::vector<Input>& inputs);

  /// A reader for idl::LoadOptions that serves from this cache and appends every path it
  /// is asked for to `record`. `record` must outlive the loads that use the reader.
  idl::FileReader recording_reader(std::vector<Input>& record);

 private:
  std::unordered_map<std::string, Content> contents_;
};

}  // namespace opp::catalog
