// The route listing as Markdown (GitHub-flavoured tables): the HTML page's content for
// repositories and wikis. IDL text is escaped, so it cannot open links, HTML or tables.
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

class MarkdownWriter {
 public:
  explicit MarkdownWriter(const Listing& listing) : listing_(listing) {}

  std::string write() {
    out_ += "# Open Payment Platform — merchant API\n\n";
    out_ += "Generated from the gateway's IDL directory (opp " OPP_VERSION
            "). Also as JSON at `/gateway/routes`, OpenAPI 3.1 at `/gateway/openapi.json` and "
            "HTML at `/gateway/docs`.\n\n## Services\n\n";
    if (listing_.services.empty()) out_ += "No service is loaded.\n";
    for (const ServiceInfo& s : listing_.services) {
      out_ += "- " + md_code(s.svc) + " — " + text(s.entry->service().name) + " (" + text(s.file) +
              ")" + (s.stale ? " — previous version (its file fails to load now)" : "") + ": ";
      for (size_t i = 0; i < s.methods.size(); ++i)
        out_ += (i ? ", " : "") + md_code(s.methods[i].method);
      out_ += "\n";
    }
    calling();
    for (const ServiceInfo& s : listing_.services) service(s);
    files();
    return std::move(out_);
  }

 private:
  static std::string text(std::string_view t) { return markdown_escape(t, false); }
  static std::string cell(std::string_view t) { return markdown_escape(t, true); }
  static std::string md_code(std::string_view t) { return markdown_code(t); }
  static std::string rich_cell(std::string_view t) { return rich(t, true); }
  // Text whose `code` spans are marked with backticks: each span becomes a code span,
  // the rest is escaped, so IDL names inside (JSON keys) cannot inject Markdown or HTML.
  static std::string rich(std::string_view t, bool in_table) {
    std::string out;
    size_t pos = 0;
    bool in_code = false;
    while (pos <= t.size()) {
      size_t next = t.find('`', pos);
      std::string_view part =
          t.substr(pos, next == std::string_view::npos ? t.size() - pos : next - pos);
      out += in_code ? markdown_code(part) : markdown_escape(part, in_table);
      if (next == std::string_view::npos) break;
      in_code = !in_code;
      pos = next + 1;
    }
    return out;
  }

  static std::string type_text(const ServiceInfo& s, const idl::TypeDescriptor* t) {
    if (!t) return "";
    switch (t->kind) {
      case TypeKind::kStruct:
        return display_name(s, *t->struct_type);
      case TypeKind::kEnum:
        return display_name(s, *t->enum_type);
      default:
        return t->name;
    }
  }

  void calling() {
    out_ +=
        "\n## Calling a method\n\nEvery service is one endpoint, `POST /gateway/{svc}`; the "
        "`method` param picks the function. The body is `application/x-www-form-urlencoded` "
        "or `application/json` (an object with the same keys, every value a string).\n\n"
        "| param | required | meaning |\n|---|---|---|\n";
    for (const EnvelopeParam& p : envelope_params()) {
      std::string rule;
      if (const Json* pattern = p.schema.find("pattern"))
        rule = " Pattern " + md_code(pattern->as_string()) + ".";
      if (const Json* values = p.schema.find("enum")) {
        rule = " One of";
        for (const Json& v : values->items()) rule += " " + md_code(v.as_string());
        rule += ".";
      }
      out_ += "| " + md_code(p.name) + " | " + (p.required ? "yes" : "no") + " | " +
              rich_cell(p.description) + rule + " |\n";
    }
    out_ += "\n**Signature.** " + rich(canonical_string_rule(), false) + "\n\n";
    out_ +=
        "**Response.** Always JSON: `err_code`, `err_message`, `request_id`, and `data` on "
        "success (err_code 0) and for declared exceptions (err_code ≥ 20000, HTTP 200); other "
        "errors add `sub_code` and `sub_message`. " +
        rich(response_signature_rule(), false) +
        "\n\n| response header | when | meaning |\n|---|---|---|\n";
    for (const ResponseHeader& h : response_headers())
      out_ += "| " + md_code(h.name) + " | " + (h.always ? "every response" : "signed responses") +
              " | " + rich_cell(h.description) + " |\n";
    out_ +=
        "\n### Errors\n\n| HTTP | err_code | sub_code | when | signed |\n|---|---|---|---|---|\n"
        "| 200 | 0 ok | | success; `data` is the result | yes |\n"
        "| 200 | ≥ 20000 | | a declared exception (see each method); `data` is the exception "
        "| yes |\n";
    for (const StatusAnswers& group : error_statuses()) {
      for (const ErrorAnswer& a : group.answers) {
        const char* is_signed = a.is_signed == ErrorAnswer::Signed::kYes  ? "yes"
                                : a.is_signed == ErrorAnswer::Signed::kNo ? "no"
                                                                          : "when authenticated";
        out_ += "| " + std::to_string(group.status) + " | " + std::to_string(a.err_code) + " " +
                cell(a.err_message) + " | " + md_code(a.sub_code) + " | " + rich_cell(a.when) +
                " | " + is_signed + " |\n";
      }
    }
    out_ += "\n### JSON ⇄ Thrift\n\n";
    for (const std::string& note : mapping_notes()) out_ += "- " + rich(note, false) + "\n";
  }

  void field_table(const ServiceInfo& s, const idl::StructDescriptor& type,
                   const idl::FieldDescriptor* bound, bool response) {
    out_ +=
        "| field (JSON key) | type | required | default | description |\n"
        "|---|---|---|---|---|\n";
    if (type.fields.empty()) out_ += "| (no fields) | | | | |\n";
    for (const idl::FieldDescriptor& f : type.fields) {
      FieldText t = field_text(f, bound, response);
      std::string doc = cell(t.doc);
      for (const std::string& note : t.notes) doc += (doc.empty() ? "" : "<br>") + cell(note);
      out_ += "| " + md_code(t.key) + " (" + cell(t.name_note) + ") | " +
              md_code(type_text(s, f.type)) + " | " + t.requiredness + " | " +
              (t.default_text.empty() ? "" : md_code(t.default_text)) + " | " + doc + " |\n";
    }
    out_ += "\n";
  }

  void service(const ServiceInfo& s) {
    const idl::ServiceDescriptor& svc = s.entry->service();
    out_ += "\n## " + md_code(s.svc) + " — " + text(svc.name) + "\n\nEndpoint " +
            md_code("POST /gateway/" + s.svc) + ", from " + md_code(s.file) +
            (svc.extends ? ", extends " + md_code(svc.extends->name) : "") + ".\n";
    if (s.stale)
      out_ +=
          "\n> Its file fails to load now (see IDL files); this is the version loaded "
          "before it, which keeps serving.\n";
    if (!doc_text(svc.doc).empty()) out_ += "\n" + text(doc_text(svc.doc)) + "\n";
    if (std::string file_doc = doc_text(s.entry->schema().root().doc); !file_doc.empty())
      out_ += "\n" + text(file_doc) + "\n";
    for (const MethodInfo& m : s.methods) method(s, m);
    types(s);
  }

  void method(const ServiceInfo& s, const MethodInfo& m) {
    const idl::FunctionDescriptor& fn = *m.function;
    out_ += "\n### " + md_code(m.method) + (fn.oneway ? " (oneway)" : "") + "\n\n";
    if (!m.reachable)
      out_ +=
          "> Unreachable: another function of the service took both its route segment and "
          "its name.\n\n";
    out_ += "- endpoint: " + md_code("POST /gateway/" + s.svc) + "\n- method: ";
    for (size_t i = 0; i < m.accepted.size(); ++i)
      out_ += (i ? " or " : "") + md_code(m.accepted[i]);
    out_ += "\n- Thrift: " + md_code(signature_text(fn)) + "\n";
    if (!fn.http_verb.empty())
      out_ += "- HTTP annotation: " + md_code("api." + fn.http_verb + " = '" + fn.http_path + "'") +
              "\n";
    if (fn.service && fn.service != &s.entry->service())
      out_ += "- inherited from: " + md_code(fn.service->name) + "\n";
    if (!doc_text(fn.doc).empty()) out_ += "\n" + text(doc_text(fn.doc)) + "\n";

    out_ += "\n#### Request: `biz_params`\n\n" + rich(shape_text(m), false) + "\n\n";
    if (m.shape != BizShape::kNone && m.biz_root) field_table(s, *m.biz_root, m.bound_field, false);

    out_ += "#### Response: `data`\n\n";
    if (!m.success) {
      out_ += std::string(fn.oneway ? "oneway: `{}`, answered once the call is sent."
                                    : "`{}` (void).") +
              "\n\n";
    } else if (m.success->type->kind == TypeKind::kStruct) {
      out_ += md_code(type_text(s, m.success->type)) + ":\n\n";
      field_table(s, *m.success->type->struct_type, nullptr, true);
    } else {
      out_ += "The bare result value: " + md_code(type_text(s, m.success->type)) +
              (m.success->js_conv ? " (as a decimal string)" : "") + ".\n\n";
    }

    out_ += "#### Errors\n\n| err_code | HTTP | when |\n|---|---|---|\n";
    for (const ExceptionInfo& x : m.exceptions)
      out_ += "| " + rich_cell(x.err_code_rule) + " | 200 | declared exception " +
              md_code(x.field->name) + ": " + md_code(type_text(s, x.field->type)) +
              "; err_message: " + rich_cell(x.err_message_rule) + "; `data` is the exception |\n";
    std::map<int32_t, std::pair<std::set<uint16_t>, std::string>> codes;
    for (const StatusAnswers& group : error_statuses()) {
      for (const ErrorAnswer& a : group.answers) {
        if (a.sub_code == "unknown-service") continue;
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
      out_ +=
          "| " + std::to_string(err_code) + " | " + statuses + " | " + cell(row.second) + " |\n";
    }
    out_ += "\n";
    if (!m.reachable) return;
    SignedExample ex = signed_example(m);
    out_ +=
        "#### Example signed request\n\nForm body (values URL-encoded; placeholders for the "
        "merchant and the signature):\n\n";
    fence(ex.form_body);
    out_ +=
        "Canonical string to sign (every param but `sign`, without empty ones, sorted by "
        "key, `key=value` joined with `&`, values before URL encoding):\n\n";
    fence(ex.canonical);
    out_ += "`sign` is the hex HMAC-SHA256 of that string with the merchant secret, e.g.:\n\n";
    fence(ex.sign_command);
  }

  // A fenced block longer than any backtick run in the text, so IDL text cannot close it.
  void fence(const std::string& body) {
    size_t longest = 0, run = 0;
    for (char c : body) {
      run = c == '`' ? run + 1 : 0;
      longest = std::max(longest, run);
    }
    std::string marks(std::max<size_t>(3, longest + 1), '`');
    out_ += marks + "\n" + valid_utf8(body) + "\n" + marks + "\n\n";
  }

  void types(const ServiceInfo& s) {
    TypesUsed used = types_used(s);
    if (used.structs.empty() && used.enums.empty()) return;
    out_ += "\n### Types of " + md_code(s.svc) + "\n";
    for (const idl::StructDescriptor* t : used.structs) {
      out_ += "\n#### " + std::string(idl::struct_keyword(t->kind)) + " " +
              md_code(display_name(s, *t)) + "\n\n";
      if (t->kind == idl::StructDescriptor::Kind::kUnion)
        out_ += "A union: exactly one field is set.\n\n";
      if (!doc_text(t->doc).empty()) out_ += text(doc_text(t->doc)) + "\n\n";
      field_table(s, *t, nullptr, false);
    }
    for (const idl::EnumDescriptor* t : used.enums) {
      out_ += "\n#### enum " + md_code(display_name(s, *t)) + "\n\n";
      if (!doc_text(t->doc).empty()) out_ += text(doc_text(t->doc)) + "\n\n";
      out_ +=
          "Send a member's value, its name, or its value as decimal text; data holds the "
          "value.\n\n| name | value | description |\n|---|---|---|\n";
      for (const idl::EnumValue& v : t->values)
        out_ += "| " + md_code(v.name) + " | " + std::to_string(v.value) + " | " +
                cell(doc_text(v.doc)) + " |\n";
    }
  }

  void files() {
    out_ +=
        "\n## IDL files\n\n| file | state | service | SHA-256 | error |\n|---|---|---|---|---|\n";
    for (const FileInfo& f : listing_.files) {
      std::string state = f.state;
      if (f.state == "error")
        state += f.serving_previous ? " (previous version serving)" : " (not served)";
      out_ += "| " + md_code(f.file) + " | " + state + " | " +
              (f.svc.empty() ? "" : md_code(f.svc)) + " | " + md_code(f.sha256.substr(0, 16)) +
              " | " + (f.error.empty() ? "" : md_code(f.error)) + " |\n";
    }
  }

  const Listing& listing_;
  std::string out_;
};

}  // namespace

std::string render_markdown(const catalog::Snapshot& snapshot) {
  Listing listing = describe(snapshot);
  return MarkdownWriter(listing).write();
}

}  // namespace opp::routes
