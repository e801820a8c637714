// load_idl_file: reads the root file and, depth first, every include (relative to the
// including file, then the include dirs), detecting cycles; then resolves them together.
#include "opp/idl/loader.hpp"

#include <algorithm>
#include <unordered_map>

#include "parser.hpp"
#include "resolver.hpp"

namespace opp::idl {
namespace {

namespace fs = std::filesystem;

fs::path normalise(const fs::path& path) {
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  return (ec ? path : abs).lexically_normal();
}

class Loader {
 public:
  explicit Loader(const LoadOptions& options) : options_(options) {
    reader_ = options.reader ? options.reader : FileReader(read_idl_file);
  }

  LoadResult load(const fs::path& file) {
    LoadResult result;
    fs::path abs = normalise(file);
    std::optional<std::string> text = reader_(abs);
    if (!text) {
      result.errors.push_back(IdlError{SourceLocation{file.string(), 1, 1}, "cannot read file"});
      return result;
    }
    load_file(abs, file.lexically_normal().string(), *text);
    if (errors_.empty()) {
      std::vector<IdlError> resolve_errors;
      result.schema = resolve_schema(files_, resolve_errors);
      errors_ = std::move(resolve_errors);
    }
    sort_errors();
    result.errors = std::move(errors_);
    if (!result.errors.empty()) result.schema.reset();
    return result;
  }

 private:
  struct Found {
    fs::path abs;
    std::string display;
    std::string text;
  };

  size_t load_file(const fs::path& abs, const std::string& display, const std::string& text) {
    size_t index = files_.size();
    files_.push_back(ParsedFile{abs.string(), display, abs.stem().string(), {}, {}});
    index_by_path_[abs.string()] = index;
    ParseResult parsed = parse_idl(text, display);
    if (parsed.error) {
      errors_.push_back(std::move(*parsed.error));
      return index;
    }
    files_[index].ast = std::move(parsed.file);
    stack_.push_back(abs.string());
    const std::vector<ast::Include> includes = files_[index].ast.includes;  // files_ may grow
    for (const ast::Include& include : includes) {
      std::optional<Found> found = find_include(abs, display, include.path);
      if (!found) {
        add_error(display, include.location, "include file '" + include.path + "' not found");
        continue;
      }
      std::string key = found->abs.string();
      if (std::find(stack_.begin(), stack_.end(), key) != stack_.end()) {
        add_error(display, include.location, "include cycle: " + cycle_text(key));
        continue;
      }
      auto known = index_by_path_.find(key);
      size_t child = known != index_by_path_.end()
                         ? known->second
                         : load_file(found->abs, found->display, found->text);
      files_[index].includes.push_back(child);
    }
    stack_.pop_back();
    return index;
  }

  std::optional<Found> find_include(const fs::path& including_abs, const std::string& display,
                                    const std::string& include) {
    fs::path relative(include);
    std::vector<std::pair<fs::path, std::string>> candidates;
    if (relative.is_absolute()) {
      candidates.emplace_back(relative, include);
    } else {
      fs::path display_dir = fs::path(display).parent_path();
      candidates.emplace_back(including_abs.parent_path() / relative,
                              (display_dir / relative).lexically_normal().string());
      for (const fs::path& dir : options_.include_dirs) {
        candidates.emplace_back(dir / relative, (dir / relative).lexically_normal().string());
      }
    }
    for (auto& [path, shown] : candidates) {
      fs::path abs = normalise(path);
      if (index_by_path_.count(abs.string())) return Found{abs, shown, ""};
      if (std::optional<std::string> text = reader_(abs))
        return Found{abs, shown, std::move(*text)};
    }
    return std::nullopt;
  }

  std::string cycle_text(const std::string& target) const {
    auto start = std::find(stack_.begin(), stack_.end(), target);
    std::string out;
    for (auto it = start; it != stack_.end(); ++it)
      out += fs::path(*it).filename().string() + " -> ";
    return out + fs::path(target).filename().string();
  }

  void add_error(const std::string& file, const ast::Location& at, std::string message) {
    errors_.push_back(IdlError{SourceLocation{file, at.line, at.column}, std::move(message)});
  }

  // Source order: by file (root first, then includes as loaded), then position.
  void sort_errors() {
    std::unordered_map<std::string, size_t> rank;
    for (size_t i = 0; i < files_.size(); ++i) rank.emplace(files_[i].display_path, i);
    auto rank_of = [&](const IdlError& e) {
      auto it = rank.find(e.where.file);
      return it == rank.end() ? size_t{0} : it->second;
    };
    std::stable_sort(errors_.begin(), errors_.end(), [&](const IdlError& a, const IdlError& b) {
      size_t ra = rank_of(a);
      size_t rb = rank_of(b);
      if (ra != rb) return ra < rb;
      if (a.where.line != b.where.line) return a.where.line < b.where.line;
      return a.where.column < b.where.column;
    });
  }

  const LoadOptions& options_;
  FileReader reader_;
  std::vector<ParsedFile> files_;
  std::unordered_map<std::string, size_t> index_by_path_;
  std::vector<std::string> stack_;
  std::vector<IdlError> errors_;
};

}  // namespace

LoadResult load_idl_file(const std::filesystem::path& file, const LoadOptions& options) {
  Loader loader(options);
  return loader.load(file);
}

}  // namespace opp::idl
