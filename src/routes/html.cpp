// GET /gateway/docs (SPEC §4): the route listing as one HTML page an integrator can save
// and read offline. No scripts, no external assets (a Content-Security-Policy forbids
// loading any), every IDL-derived text escaped.
#include <map>
#include <set>

#include "routes/doc_types.hpp"
#include "routes/examples.hpp"
#include "routes/merchant_api.hpp"
#include "routes/routes.hpp"
#include "routes/text.hpp"

namespace opp::routes {
namespace {

using idl::TypeKind;

constexpr const char* kStyle = R"(
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2430;background:#fff}
header,main,nav{max-width:1100px;margin:0 auto;padding:0 24px}
header{padding-top:24px}
h1{font-size:28px;margin:0 0 4px}
h2{border-bottom:2px solid #d8dee8;padding-bottom:4px;margin-top:40px}
h3{margin:0 0 8px;font-size:20px}
h4{margin:20px 0 6px}
h5{margin:14px 0 4px;font-size:15px}
h2 code,h3 code,h5 code{font-size:inherit}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
pre{background:#f5f7fa;border:1px solid #d8dee8;border-radius:4px;padding:10px;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
table{border-collapse:collapse;width:100%;margin:6px 0 12px}
th,td{border:1px solid #d8dee8;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f0f3f7}
.doc{white-space:pre-line}
.method{border:1px solid #d8dee8;border-radius:6px;padding:16px;margin:18px 0}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0 0 8px}
.meta dt{font-weight:600}.meta dd{margin:0}
.note{color:#5a6472;font-size:13px}
.warn{background:#fff4e5;border:1px solid #f0b46c;border-radius:4px;padding:6px 10px}
.tag{display:inline-block;background:#e8eef7;border-radius:3px;padding:0 6px;font-size:12px;margin-left:6px}
nav ul{margin:4px 0}
)";

// Unique, stable id attributes: the same key always gets the same id.
class Ids {
 public:
  std::string get(const std::string& kind, const std::string& key) {
    std::string full = kind + "\x1f" + key;
    if (auto it = ids_.find(full); it != ids_.end()) return it->second;
    std::string base = kind + "-" + anchor_text(key);
    std::string chosen = base;
    for (int n = 2; used_.count(chosen); ++n) chosen = base + "-" + std::to_string(n);
    used_.insert(chosen);
    ids_.emplace(full, chosen);
    return chosen;
  }

 private:
  std::map<std::string, std::string> ids_;
  std::set<std::string> used_;
};

class HtmlWriter {
 public:
  explicit HtmlWriter(const Listing& listing) : listing_(listing) {}

  std::string write() {
    size_t methods = 0;
    for (const ServiceInfo& s : listing_.services) methods += s.methods.size();
    out_ +=
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>Open Payment Platform — merchant API</title>\n<style>";
    out_ += kStyle;
    out_ += "</style>\n</head>\n<body>\n<header>\n<h1>Open Payment Platform — merchant API</h1>\n";
    out_ += "<p class=\"note\">" + std::to_string(listing_.services.size()) + " service" +
            (listing_.services.size() == 1 ? "" : "s") + ", " + std::to_string(methods) +
            " method" + (methods == 1 ? "" : "s") +
            ", generated from the gateway's IDL directory (opp " OPP_VERSION
            "). Also as JSON at /gateway/routes and OpenAPI 3.1 at /gateway/openapi.json.</p>\n"
            "</header>\n";
    nav();
    out_ += "<main>\n";
    calling();
    for (const ServiceInfo& s : listing_.services) service(s);
    files();
    out_ += "</main>\n</body>\n</html>\n";
    return std::move(out_);
  }

 private:
  static std::string e(std::string_view text) { return html_escape(text); }
  static std::string code(std::string_view text) { return "<code>" + e(text) + "</code>"; }
  // The listings' own explanations mark code with backticks, as in Markdown.
  static std::string rich(std::string_view text) {
    std::string escaped = e(text), out;
    bool open = false;
    for (char c : escaped) {
      if (c == '`') {
        out += open ? "</code>" : "<code>";
        open = !open;
      } else {
        out.push_back(c);
      }
    }
    if (open) out += "</code>";
    return out;
  }

  std::string method_id(const ServiceInfo& s, const MethodInfo& m) {
    return ids_.get("m", s.svc + "\x1f" + m.function->name);
  }
  std::string type_id(const ServiceInfo& s, const std::string& name) {
    return ids_.get("t", s.svc + "\x1f" + name);
  }

  void nav() {
    out_ += "<nav id=\"services\">\n<h2>Services</h2>\n";
    if (listing_.services.empty()) out_ += "<p>No service is loaded.</p>\n";
    out_ += "<ul>\n";
    for (const ServiceInfo& s : listing_.services) {
      out_ += "<li><a href=\"#" + ids_.get("svc", s.svc) + "\">" + code(s.svc) + "</a> — " +
              e(s.entry->service().name) + " (" + e(s.file) + "), " +
              std::to_string(s.methods.size()) + " methods" +
              (s.stale ? " <span class=\"tag\">previous version</span>" : "") + "\n<ul>\n";
      for (const MethodInfo& m : s.methods)
        out_ += "<li><a href=\"#" + method_id(s, m) + "\">" + code(m.method) + "</a></li>\n";
      out_ += "</ul></li>\n";
    }
    out_ +=
        "</ul>\n<p><a href=\"#calling\">Calling a method</a> · <a href=\"#errors\">Errors</a>"
        " · <a href=\"#files\">IDL files</a></p>\n</nav>\n";
  }

  void calling() {
    out_ += "<section id=\"calling\">\n<h2>Calling a method</h2>\n";
    out_ +=
        "<p>Every service is one endpoint, <code>POST /gateway/{svc}</code>; the "
        "<code>method</code> param picks the function. The body is "
        "<code>application/x-www-form-urlencoded</code> or <code>application/json</code> (an "
        "object with the same keys, every value a string).</p>\n";
    out_ +=
        "<table class=\"envelope\">\n<tr><th>param</th><th>required</th><th>meaning</th></tr>\n";
    for (const EnvelopeParam& p : envelope_params()) {
      std::string rule;
      if (const Json* pattern = p.schema.find("pattern"))
        rule = " Pattern " + code(pattern->as_string()) + ".";
      if (const Json* values = p.schema.find("enum")) {
        rule = " One of";
        for (const Json& v : values->items()) rule += " " + code(v.as_string());
        rule += ".";
      }
      out_ += "<tr><td>" + code(p.name) + "</td><td>" + (p.required ? "yes" : "no") + "</td><td>" +
              rich(p.description) + rule + "</td></tr>\n";
    }
    out_ += "</table>\n";
    out_ += "<h4>Signature</h4>\n<p>" + rich(canonical_string_rule()) + "</p>\n";
    out_ +=
        "<h4>Response</h4>\n<p>Always JSON: <code>err_code</code>, <code>err_message</code>, "
        "<code>request_id</code>, and <code>data</code> on success (err_code 0) and for "
        "declared exceptions (err_code ≥ 20000, HTTP 200); other errors add "
        "<code>sub_code</code> and <code>sub_message</code>. " +
        rich(response_signature_rule()) + "</p>\n";
    out_ +=
        "<table class=\"headers\">\n<tr><th>response "
        "header</th><th>when</th><th>meaning</th></tr>\n";
    for (const ResponseHeader& h : response_headers())
      out_ += "<tr><td>" + code(h.name) + "</td><td>" +
              (h.always ? "every response" : "signed responses") + "</td><td>" +
              rich(h.description) + "</td></tr>\n";
    out_ += "</table>\n";
    out_ +=
        "<h4 id=\"errors\">Errors</h4>\n<table class=\"errors\">\n<tr><th>HTTP</th><th>err_code"
        "</th><th>sub_code</th><th>when</th><th>signed</th></tr>\n";
    out_ +=
        "<tr><td>200</td><td>0 ok</td><td></td><td>success; <code>data</code> is the "
        "result</td><td>yes</td></tr>\n";
    out_ +=
        "<tr><td>200</td><td>≥ 20000</td><td></td><td>a declared exception (see each "
        "method); <code>data</code> is the exception</td><td>yes</td></tr>\n";
    for (const StatusAnswers& group : error_statuses()) {
      for (const ErrorAnswer& a : group.answers) {
        const char* is_signed = a.is_signed == ErrorAnswer::Signed::kYes  ? "yes"
                                : a.is_signed == ErrorAnswer::Signed::kNo ? "no"
                                                                          : "when authenticated";
        out_ += "<tr><td>" + std::to_string(group.status) + "</td><td>" +
                std::to_string(a.err_code) + " " + e(a.err_message) + "</td><td>" +
                code(a.sub_code) + "</td><td>" + rich(a.when) + "</td><td>" + is_signed +
                "</td></tr>\n";
      }
    }
    out_ += "</table>\n<h4>JSON ⇄ Thrift</h4>\n<ul class=\"mapping\">\n";
    for (const std::string& note : mapping_notes()) out_ += "<li>" + rich(note) + "</li>\n";
    out_ += "</ul>\n</section>\n";
  }

  // A type with its named parts linked to their tables.
  std::string type_html(const ServiceInfo& s, const idl::TypeDescriptor* t) {
    if (!t) return "";
    switch (t->kind) {
      case TypeKind::kStruct: {
        std::string name = display_name(s, *t->struct_type);
        return "<a href=\"#" + type_id(s, name) + "\">" + code(name) + "</a>";
      }
      case TypeKind::kEnum: {
        std::string name = display_name(s, *t->enum_type);
        return "<a href=\"#" + type_id(s, name) + "\">" + code(name) + "</a>";
      }
      case TypeKind::kList:
      case TypeKind::kSet:
        return code(t->kind == TypeKind::kList ? "list<" : "set<") + type_html(s, t->element) +
               code(">");
      case TypeKind::kMap:
        return code("map<") + type_html(s, t->key) + code(",") + type_html(s, t->element) +
               code(">");
      default:
        return code(t->name);
    }
  }

  void field_table(const ServiceInfo& s, const idl::StructDescriptor& type,
                   const idl::FieldDescriptor* bound, const char* kind, bool response) {
    out_ += "<table class=\"fields\" data-kind=\"" + std::string(kind) +
            "\">\n<tr><th>field "
            "(JSON key)</th><th>type</th><th>required</th><th>default</th><th>description</th>"
            "</tr>\n";
    if (type.fields.empty()) out_ += "<tr><td colspan=\"5\">no fields</td></tr>\n";
    for (const idl::FieldDescriptor& f : type.fields) {
      FieldText t = field_text(f, bound, response);
      std::string doc = e(t.doc);
      for (const std::string& note : t.notes)
        doc += (doc.empty() ? "" : "<br>") + std::string("<span class=\"note\">") + e(note) +
               "</span>";
      out_ += "<tr data-key=\"" + e(t.key) + "\"><td>" + code(t.key) + "<br><span class=\"note\">" +
              e(t.name_note) + "</span></td><td>" + type_html(s, f.type) + "</td><td>" +
              e(t.requiredness) + "</td><td>" +
              (t.default_text.empty() ? "" : code(t.default_text)) + "</td><td class=\"doc\">" +
              doc + "</td></tr>\n";
    }
    out_ += "</table>\n";
  }

  void service(const ServiceInfo& s) {
    const idl::ServiceDescriptor& svc = s.entry->service();
    out_ += "<section class=\"service\" id=\"" + ids_.get("svc", s.svc) + "\" data-svc=\"" +
            e(s.svc) + "\">\n<h2>" + code(s.svc) + " — " + e(svc.name) + "</h2>\n";
    out_ += "<p>Endpoint " + code("POST /gateway/" + s.svc) + ", from " + code(s.file) +
            (svc.extends ? ", extends " + code(svc.extends->name) : "") + ".</p>\n";
    if (s.stale)
      out_ +=
          "<p class=\"warn\">Its file fails to load now (see <a href=\"#files\">IDL files"
          "</a>); this is the version loaded before it, which keeps serving.</p>\n";
    if (!doc_text(svc.doc).empty()) out_ += "<p class=\"doc\">" + e(doc_text(svc.doc)) + "</p>\n";
    if (std::string file_doc = doc_text(s.entry->schema().root().doc); !file_doc.empty())
      out_ += "<p class=\"doc file-doc\">" + e(file_doc) + "</p>\n";
    for (const MethodInfo& m : s.methods) method(s, m);
    types(s);
    out_ += "</section>\n";
  }

  void method(const ServiceInfo& s, const MethodInfo& m) {
    const idl::FunctionDescriptor& fn = *m.function;
    out_ += "<article class=\"method\" id=\"" + method_id(s, m) + "\" data-svc=\"" + e(s.svc) +
            "\" data-method=\"" + e(m.method) + "\" data-function=\"" + e(fn.name) + "\">\n";
    out_ += "<h3>" + code(m.method) + (fn.name != m.method ? " — " + e(fn.name) : "") +
            (fn.oneway ? "<span class=\"tag\">oneway</span>" : "") + "</h3>\n";
    if (!m.reachable)
      out_ +=
          "<p class=\"warn\">Unreachable: another function of the service took both its "
          "route segment and its name.</p>\n";
    out_ += "<dl class=\"meta\">\n<dt>endpoint</dt><dd>" + code("POST /gateway/" + s.svc) +
            "</dd>\n<dt>method</dt><dd>";
    for (size_t i = 0; i < m.accepted.size(); ++i) out_ += (i ? " or " : "") + code(m.accepted[i]);
    out_ += "</dd>\n<dt>Thrift</dt><dd>" + code(signature_text(fn)) + "</dd>\n";
    if (!fn.http_verb.empty())
      out_ += "<dt>HTTP annotation</dt><dd>" +
              code("api." + fn.http_verb + " = '" + fn.http_path + "'") + "</dd>\n";
    if (fn.service && fn.service != &s.entry->service())
      out_ += "<dt>inherited from</dt><dd>" + code(fn.service->name) + "</dd>\n";
    if (!fn.annotations.empty()) {
      out_ += "<dt>annotations</dt><dd>";
      for (size_t i = 0; i < fn.annotations.items.size(); ++i) {
        const idl::Annotation& a = fn.annotations.items[i];
        out_ += (i ? ", " : "") + code(a.valueless ? a.key : a.key + " = \"" + a.value + "\"");
      }
      out_ += "</dd>\n";
    }
    out_ += "</dl>\n";
    if (!doc_text(fn.doc).empty()) out_ += "<p class=\"doc\">" + e(doc_text(fn.doc)) + "</p>\n";

    out_ += "<h4>Request: <code>biz_params</code></h4>\n<p>" + rich(shape_text(m)) + "</p>\n";
    if (m.shape != BizShape::kNone && m.biz_root)
      field_table(s, *m.biz_root, m.bound_field, "request", false);

    out_ += "<h4>Response: <code>data</code></h4>\n";
    if (!m.success) {
      out_ += std::string("<p>") + (fn.oneway ? "oneway: " : "") + "<code>{}</code>" +
              (fn.oneway ? ", answered once the call is sent." : " (void).") +
              "</p>\n<table class=\"fields\" data-kind=\"response\"><tr><th>data</th></tr>"
              "<tr><td><code>{}</code></td></tr></table>\n";
    } else if (m.success->type->kind == TypeKind::kStruct) {
      out_ += "<p>" + type_html(s, m.success->type) + ":</p>\n";
      field_table(s, *m.success->type->struct_type, nullptr, "response", true);
    } else {
      out_ +=
          "<p>The bare result value.</p>\n<table class=\"fields\" data-kind=\"response\">"
          "<tr><th>data</th><th>type</th></tr><tr><td><code>data</code></td><td>" +
          type_html(s, m.success->type) + (m.success->js_conv ? " (as a decimal string)" : "") +
          "</td></tr></table>\n";
    }

    out_ +=
        "<h4>Errors</h4>\n<table class=\"method-errors\">\n<tr><th>err_code</th><th>HTTP"
        "</th><th>when</th></tr>\n";
    for (const ExceptionInfo& x : m.exceptions) {
      out_ += "<tr><td>" + rich(x.err_code_rule) + "</td><td>200</td><td>declared exception " +
              code(x.field->name) + ": " + type_html(s, x.field->type) +
              "; err_message: " + rich(x.err_message_rule) +
              "; <code>data</code> is the exception</td></tr>\n";
    }
    std::map<int32_t, std::pair<std::set<uint16_t>, std::string>> codes;
    for (const StatusAnswers& group : error_statuses()) {
      for (const ErrorAnswer& a : group.answers) {
        if (a.sub_code == "unknown-service") continue;  // not for a listed service
        auto& [statuses, subs] = codes[a.err_code];
        statuses.insert(group.status);
        if (!subs.empty()) subs += ", ";
        subs += a.sub_code;
      }
    }
    for (const auto& [err_code, row] : codes) {
      std::string statuses;
      for (uint16_t st : row.first)
        statuses += (statuses.empty() ? "" : " / ") + std::to_string(st);
      out_ += "<tr><td>" + std::to_string(err_code) + "</td><td>" + statuses + "</td><td>" +
              e(row.second) + "</td></tr>\n";
    }
    out_ += "</table>\n";

    if (m.reachable) example(m);
    out_ += "</article>\n";
  }

  void example(const MethodInfo& m) {
    SignedExample ex = signed_example(m);
    out_ +=
        "<h4>Example signed request</h4>\n<p>The form body (values URL-encoded; "
        "placeholders for the merchant and the signature):</p>\n<pre class=\"form-body\">" +
        e(ex.form_body) + "</pre>\n";
    out_ +=
        "<p>The canonical string to sign: every param but <code>sign</code>, without empty "
        "ones, sorted by key, <code>key=value</code> joined with <code>&amp;</code>, values "
        "as sent before URL encoding (<code>biz_params</code> byte for byte):</p>\n"
        "<pre class=\"canonical\">" +
        e(ex.canonical) + "</pre>\n";
    out_ +=
        "<p><code>sign</code> is the hex HMAC-SHA256 of that string with the merchant "
        "secret, for example:</p>\n<pre>" +
        e(ex.sign_command) + "</pre>\n";
    out_ += "<p>As <code>application/json</code>:</p>\n<pre class=\"json-body\">" +
            e(ex.json_body) + "</pre>\n";
  }

  void types(const ServiceInfo& s) {
    TypesUsed used = types_used(s);
    if (used.structs.empty() && used.enums.empty()) return;
    out_ += "<h3>Types of " + code(s.svc) + "</h3>\n";
    for (const idl::StructDescriptor* t : used.structs) {
      std::string name = display_name(s, *t);
      out_ += "<div class=\"type\" id=\"" + type_id(s, name) + "\" data-type=\"" + e(name) +
              "\">\n<h5>" + e(idl::struct_keyword(t->kind)) + " " + code(name) + "</h5>\n";
      if (t->kind == idl::StructDescriptor::Kind::kUnion)
        out_ += "<p class=\"note\">A union: exactly one field is set.</p>\n";
      if (!doc_text(t->doc).empty()) out_ += "<p class=\"doc\">" + e(doc_text(t->doc)) + "</p>\n";
      field_table(s, *t, nullptr, "type", false);
      out_ += "</div>\n";
    }
    for (const idl::EnumDescriptor* t : used.enums) {
      std::string name = display_name(s, *t);
      out_ += "<div class=\"type\" id=\"" + type_id(s, name) + "\" data-type=\"" + e(name) +
              "\">\n<h5>enum " + code(name) + "</h5>\n";
      if (!doc_text(t->doc).empty()) out_ += "<p class=\"doc\">" + e(doc_text(t->doc)) + "</p>\n";
      out_ +=
          "<p class=\"note\">Send a member's value, its name, or its value as decimal text; "
          "data holds the value.</p>\n<table class=\"enum\">\n<tr><th>name</th><th>value</th>"
          "<th>description</th></tr>\n";
      for (const idl::EnumValue& v : t->values)
        out_ += "<tr><td>" + code(v.name) + "</td><td>" + std::to_string(v.value) +
                "</td><td class=\"doc\">" + e(doc_text(v.doc)) + "</td></tr>\n";
      out_ += "</table>\n</div>\n";
    }
  }

  void files() {
    out_ +=
        "<section id=\"files\">\n<h2>IDL files</h2>\n<table class=\"files\">\n<tr><th>file"
        "</th><th>state</th><th>service</th><th>SHA-256</th><th>error</th></tr>\n";
    for (const FileInfo& f : listing_.files) {
      std::string state = f.state;
      if (f.state == "error")
        state += f.serving_previous ? " (previous version serving)" : " (not served)";
      out_ += "<tr data-state=\"" + e(f.state) + "\"><td>" + code(f.file) + "</td><td>" + e(state) +
              "</td><td>" + (f.svc.empty() ? "" : code(f.svc)) + "</td><td>" +
              code(f.sha256.substr(0, 16)) + "</td><td>" + (f.error.empty() ? "" : code(f.error)) +
              "</td></tr>\n";
    }
    out_ += "</table>\n</section>\n";
  }

  const Listing& listing_;
  Ids ids_;
  std::string out_;
};

}  // namespace

std::string render_html(const catalog::Snapshot& snapshot) {
  Listing listing = describe(snapshot);
  return HtmlWriter(listing).write();
}

}  // namespace opp::routes
