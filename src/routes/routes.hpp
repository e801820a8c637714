#pragma once
// Route listings of the merchant API generated from a catalog snapshot (SPEC §4, §6):
// the routes JSON (GET /gateway/routes), an OpenAPI 3.1 document
// (GET /gateway/openapi.json), a self-contained HTML page (GET /gateway/docs), and the same
// listing as Markdown. `opp-idl routes` prints exactly what these return for
// catalog::scan(DIR).
//
// Every render is a pure function of the snapshot's services and file states: the same
// snapshot gives byte-identical output (services sorted by svc, functions in declaration
// order with inherited ones first, definitions sorted by name), and nothing depends on
// the generation, load times or how idl_dir was spelt (paths are relative to it).
// Rendering takes 1–3 ms for the payment IDL (100 KB documents), so a server that gets
// these often should cache the bytes per snapshot. Nothing here throws but bad_alloc.

#include <optional>
#include <string>
#include <string_view>

#include "opp/catalog/snapshot.hpp"

namespace opp::routes {

enum class Format : uint8_t { kJson, kOpenApi, kMarkdown, kHtml };

/// "json", "openapi", "markdown" or "html"; nullopt for anything else.
std::optional<Format> parse_format(std::string_view name);
/// The name parse_format() reads.
std::string_view format_name(Format format);
/// The Content-Type to serve a format with.
std::string_view content_type(Format format);

/// The listing of `snapshot` in `format`.
std::string render(const catalog::Snapshot& snapshot, Format format);

/// GET /gateway/routes: per svc its file, Thrift service, and per function the `method`
/// values, HTTP annotation, oneway, doc, annotations, biz_params and data as JSON Schema
/// (draft 2020-12) with field tables, declared exceptions with their err_code rule; then
/// every IDL file with its state and error.
std::string render_routes_json(const catalog::Snapshot& snapshot);

/// GET /gateway/openapi.json: OpenAPI 3.1, `POST /gateway/{svc}` per service (methods as
/// a `method` discriminator over per-method request schemas), the signed envelope, the
/// response envelope with `data` per method, every error status, the signature headers,
/// and the gateway's GET endpoints.
std::string render_openapi(const catalog::Snapshot& snapshot);

/// GET /gateway/docs: one HTML page without external assets or scripts.
std::string render_html(const catalog::Snapshot& snapshot);

/// The HTML page's content as Markdown (GitHub-flavoured tables).
std::string render_markdown(const catalog::Snapshot& snapshot);

}  // namespace opp::routes
