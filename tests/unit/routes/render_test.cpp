// Properties every listing has: deterministic bytes, independent of how idl_dir was spelt
// and of the snapshot's generation; valid JSON whatever the doc comments hold; IDL text
// escaped in HTML and Markdown; no external resources in the HTML page; stale services.
#include <algorithm>
#include <cctype>
#include <regex>

#include "idl_test_util.hpp"
#include "routes_test_util.hpp"

using namespace opp::routes;
using namespace opp::routes::test;
using opp::idl::test::TempDir;
namespace fs = std::filesystem;

namespace {

const Format kFormats[] = {Format::kJson, Format::kOpenApi, Format::kMarkdown, Format::kHtml};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("render: formats by name, content types", "[routes]") {
  for (Format f : kFormats) CHECK(parse_format(format_name(f)) == f);
  CHECK_FALSE(parse_format("yaml"));
  CHECK_FALSE(parse_format("JSON"));
  CHECK(content_type(Format::kJson) == "application/json");
  CHECK(content_type(Format::kHtml) == "text/html; charset=utf-8");
  CHECK(content_type(Format::kMarkdown) == "text/markdown; charset=utf-8");
}

TEST_CASE("render: the same snapshot gives the same bytes, every format", "[routes][determinism]") {
  for (const std::string& dir : {payment_dir(), shop_dir(), source_path("tests/data/codec")}) {
    auto snapshot = opp::catalog::scan(dir);
    for (Format f : kFormats) {
      INFO(dir << " " << format_name(f));
      std::string first = render(*snapshot, f);
      CHECK(first.size() > 1000);
      CHECK(render(*snapshot, f) == first);
    }
  }
}

TEST_CASE("render: independent of generation and of how idl_dir is spelt",
          "[routes][determinism]") {
  const std::string absolute = shop_dir();
  const std::string relative = fs::relative(absolute, fs::current_path()).string();
  auto first = opp::catalog::scan(absolute);
  auto again = opp::catalog::scan(absolute, first.get());  // generation 2, entries reused
  REQUIRE(again->generation == 2);
  auto slash = opp::catalog::scan(absolute + "/");
  auto rel = opp::catalog::scan(relative);
  auto dotted = opp::catalog::scan(absolute + "/../dir");
  for (Format f : kFormats) {
    INFO(format_name(f));
    std::string expected = render(*first, f);
    CHECK(render(*again, f) == expected);
    CHECK(render(*slash, f) == expected);
    CHECK(render(*rel, f) == expected);
    CHECK(render(*dotted, f) == expected);
  }
}

TEST_CASE("render: JSON documents stay valid UTF-8 JSON whatever the doc comments hold",
          "[routes]") {
  TempDir dir("opp-routes-");
  dir.write("odd.thrift",
            "/** invalid \xff\xfe UTF-8, a NUL-free control \x01, quotes \" and \\ */\n"
            "service Odd {\n  /** \xe4\xbd\xa0\xe5\xa5\xbd and \xed\xa0\x80 (a surrogate) */\n"
            "  void Hi()\n}\n");
  auto snapshot = opp::catalog::scan(dir.path());
  REQUIRE(snapshot->services.count("odd") == 1);
  auto routes = parse_json(render_routes_json(*snapshot));
  std::string doc = str(service(*routes, "odd")["doc"]);
  CHECK(doc.find("\xef\xbf\xbd") != std::string::npos);  // U+FFFD
  CHECK(doc.find("\x01") != std::string::npos);          // escaped as \u0001, read back
  CHECK(str(function(service(*routes, "odd"), "Hi")["doc"]).find("\xe4\xbd\xa0") == 0);
  parse_json(render_openapi(*snapshot));
}

TEST_CASE("html: IDL text is escaped, doc comments cannot inject markup", "[routes][html]") {
  std::string html = render_html(*opp::catalog::scan(shop_dir()));
  // The doc comments hold <script>, <img onerror>, <b> and </table>.
  CHECK(lower(html).find("<script") == std::string::npos);
  CHECK(lower(html).find("<img") == std::string::npos);
  CHECK(html.find("<b>") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(&quot;doc&quot;)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
  CHECK(html.find("&lt;b&gt;bold&lt;/b&gt;") != std::string::npos);
  // Balanced tables: the doc's </table> did not close one.
  CHECK(count(html, "<table") == count(html, "</table>"));
  CHECK(count(html, "<article") == count(html, "</article>"));
}

TEST_CASE("html: self-contained, no external resources", "[routes][html]") {
  for (const std::string& dir : {payment_dir(), shop_dir()}) {
    std::string html = render_html(*opp::catalog::scan(dir));
    INFO(dir);
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("Content-Security-Policy\" content=\"default-src 'none'") != std::string::npos);
    CHECK(lower(html).find("<script") == std::string::npos);
    CHECK(lower(html).find("<link") == std::string::npos);
    // No tag loads anything: no src attribute at all (IDL text is escaped, so every '<' in
    // the page starts a tag of the page's own).
    CHECK_FALSE(std::regex_search(html, std::regex("<[a-zA-Z][^>]*\\ssrc=")));
    CHECK(html.find("url(") == std::string::npos);
    CHECK(html.find("@import") == std::string::npos);
    // Every link is a fragment of this page, and every fragment exists.
    std::regex href("href=\"([^\"]*)\"");
    size_t links = 0;
    for (auto it = std::sregex_iterator(html.begin(), html.end(), href);
         it != std::sregex_iterator(); ++it) {
      std::string target = (*it)[1];
      INFO(target);
      REQUIRE(target.rfind("#", 0) == 0);
      CHECK(html.find("id=\"" + target.substr(1) + "\"") != std::string::npos);
      ++links;
    }
    CHECK(links > 10);
  }
}

TEST_CASE("html: every payment method with its field tables and example", "[routes][html]") {
  std::string html = render_html(*opp::catalog::scan(payment_dir()));
  for (const char* method :
       {"unifypay", "qrpay", "queryorder", "closeorder", "refund", "queryrefund", "downloadbill"}) {
    INFO(method);
    size_t at = html.find(std::string("data-method=\"") + method + "\"");
    REQUIRE(at != std::string::npos);
    size_t end = html.find("</article>", at);
    std::string article = html.substr(at, end - at);
    CHECK(article.find("data-kind=\"request\"") != std::string::npos);
    CHECK(article.find("data-kind=\"response\"") != std::string::npos);
    // The request table has a row per field (merchant_id is in every request).
    CHECK(article.find("<tr data-key=\"merchant_id\">") != std::string::npos);
    CHECK(article.find("common.BizError") != std::string::npos);
    CHECK(article.find(std::string("method=") + method + "&amp;") != std::string::npos);
    CHECK(article.find("class=\"canonical\">biz_params=") != std::string::npos);
  }
}

TEST_CASE("markdown: IDL text is escaped", "[routes][markdown]") {
  std::string md = render_markdown(*opp::catalog::scan(shop_dir()));
  CHECK(lower(md).find("<script") == std::string::npos);
  CHECK(lower(md).find("<img") == std::string::npos);
  CHECK(md.find("&lt;script&gt;") != std::string::npos);
  CHECK(md.find("\\[link\\]\\(http://x.invalid\\)") != std::string::npos);
  CHECK(md.find("\\*stars\\*") != std::string::npos);
  CHECK(md.find("\\`ticks\\`") != std::string::npos);
  // Table rows keep their column count: a doc's `|` is escaped.
  for (size_t at = md.find("\n| "); at != std::string::npos; at = md.find("\n| ", at + 1)) {
    std::string line = md.substr(at + 1, md.find('\n', at + 1) - at - 1);
    size_t cells = 0;
    for (size_t i = 0; i < line.size(); ++i)
      if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++cells;
    INFO(line);
    CHECK(cells >= 4);
  }
}

TEST_CASE("render: a service whose file breaks is listed as its previous version",
          "[routes][reload]") {
  TempDir dir("opp-routes-");
  dir.write("svc.thrift", "service S {\n  void Old() (api.post = '/s/old')\n}\n");
  auto first = opp::catalog::scan(dir.path());
  dir.write("svc.thrift", "service S {\n  void New(\n}\n");
  auto second = opp::catalog::scan(dir.path(), first.get());
  auto doc = parse_json(render_routes_json(*second));
  const auto& s = service(*doc, "svc");
  CHECK(s["stale"].GetBool());
  CHECK(str(s["functions"][0]["method"]) == "old");
  REQUIRE((*doc)["errors"].Size() == 1);
  CHECK(str((*doc)["errors"][0]["serving"]) == "previous version");
  CHECK(str((*doc)["errors"][0]["error"]).rfind("svc.thrift:3:1: ", 0) == 0);
  CHECK(render_html(*second).find("previous version") != std::string::npos);
  auto openapi = parse_json(render_openapi(*second));
  CHECK((*openapi)["x-opp-idl-errors"].Size() == 1);
  // Deleting the file removes the service.
  dir.remove("svc.thrift");
  auto third = opp::catalog::scan(dir.path(), second.get());
  CHECK(parse_json(render_routes_json(*third))->operator[]("services").Size() == 0);
}

TEST_CASE("render: an empty directory is a valid, empty listing", "[routes]") {
  TempDir dir("opp-routes-");
  auto snapshot = opp::catalog::scan(dir.path());
  auto doc = parse_json(render_routes_json(*snapshot));
  CHECK((*doc)["services"].Size() == 0);
  auto openapi = parse_json(render_openapi(*snapshot));
  CHECK((*openapi)["paths"].HasMember("/healthz"));
  CHECK(render_html(*snapshot).find("No service is loaded.") != std::string::npos);
  CHECK(render_markdown(*snapshot).find("No service is loaded.") != std::string::npos);
}
