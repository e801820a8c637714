#pragma once
// Escaping for the listings' output languages. Everything that comes from IDL text (doc
// comments, names, annotation values, file names) passes through one of these.

#include <string>
#include <string_view>

namespace opp::routes {

/// HTML text and attribute values: & < > " ' as character references; invalid UTF-8
/// becomes U+FFFD.
std::string html_escape(std::string_view text);

/// Text inside a Markdown paragraph or table cell: Markdown punctuation backslash-escaped,
/// < > & as HTML character references (renderers pass raw HTML through), line ends as
/// `<br>` when `in_table` (a cell is one line), else kept.
std::string markdown_escape(std::string_view text, bool in_table);

/// Text inside a Markdown code span: backticks cannot be escaped there, so the span's
/// fence is chosen longer than any run in the text. Returns the whole span.
std::string markdown_code(std::string_view text);

/// application/x-www-form-urlencoded value: unreserved characters (RFC 3986) kept,
/// everything else %XX (space as %20, which every form decoder reads).
std::string form_encode(std::string_view text);

/// Standard base64 (RFC 4648 §4), padded.
std::string base64_encode(std::string_view bytes);

/// `text` with ECMA-262 regular expression metacharacters backslash-escaped.
std::string regex_escape(std::string_view text);

/// A doc comment as the listings show it: without leading and trailing whitespace.
std::string doc_text(std::string_view doc);

/// An identifier for an HTML id attribute or a URL fragment: [A-Za-z0-9_.-] kept, every
/// other byte as '_'.
std::string anchor_text(std::string_view text);

}  // namespace opp::routes
