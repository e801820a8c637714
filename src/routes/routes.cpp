#include "routes/routes.hpp"

namespace opp::routes {

std::optional<Format> parse_format(std::string_view name) {
  for (Format f : {Format::kJson, Format::kOpenApi, Format::kMarkdown, Format::kHtml})
    if (format_name(f) == name) return f;
  return std::nullopt;
}

std::string_view format_name(Format format) {
  switch (format) {
    case Format::kJson:
      return "json";
    case Format::kOpenApi:
      return "openapi";
    case Format::kMarkdown:
      return "markdown";
    case Format::kHtml:
      break;
  }
  return "html";
}

std::string_view content_type(Format format) {
  switch (format) {
    case Format::kJson:
    case Format::kOpenApi:
      return "application/json";
    case Format::kMarkdown:
      return "text/markdown; charset=utf-8";
    case Format::kHtml:
      break;
  }
  return "text/html; charset=utf-8";
}

std::string render(const catalog::Snapshot& snapshot, Format format) {
  switch (format) {
    case Format::kJson:
      return render_routes_json(snapshot);
    case Format::kOpenApi:
      return render_openapi(snapshot);
    case Format::kMarkdown:
      return render_markdown(snapshot);
    case Format::kHtml:
      break;
  }
  return render_html(snapshot);
}

}  // namespace opp::routes
