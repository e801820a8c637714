// One test per grammar feature of the Thrift IDL front end (lexer + parser + resolver).
#include <catch2/catch.hpp>

#include "idl_test_util.hpp"

using namespace opp::idl;
using opp::idl::test::load_files;
using opp::idl::test::load_text;

namespace {

// The root program of a load that must succeed; the schema stays alive for the whole
// test run, so the returned reference outlives the temporary LoadResult.
const Program& root_of(const LoadResult& r) {
  static std::vector<std::shared_ptr<const Schema>> keep_alive;
  INFO((r.errors.empty() ? std::string() : r.errors.front().to_string()));
  REQUIRE(r.errors.empty());
  REQUIRE(r.schema);
  keep_alive.push_back(r.schema);
  return r.schema->root();
}

const ConstDescriptor& const_named(const Program& p, const std::string& name) {
  for (const auto& c : p.consts) {
    if (c->name == name) return *c;
  }
  FAIL("no const " << name);
  throw;
}

}  // namespace

TEST_CASE("include and qualified names across files", "[idl][grammar]") {
  LoadResult r = load_files({{"main.thrift",
                              "include \"shared.thrift\"\n"
                              "struct Use { 1: shared.SharedStruct s }\n"
                              "service S extends shared.Base {}\n"},
                             {"shared.thrift",
                              "struct SharedStruct { 1: i32 key }\n"
                              "service Base { void ping() }\n"}});
  const Program& p = root_of(r);
  REQUIRE(p.includes.size() == 1);
  CHECK(p.includes[0]->name == "shared");
  const FieldDescriptor& f = p.structs[0]->fields[0];
  CHECK(f.type->kind == TypeKind::kStruct);
  CHECK(f.type->name == "shared.SharedStruct");
  CHECK(f.type->struct_type->program == p.includes[0]);
  CHECK(p.services[0]->extends->name == "Base");
  CHECK(r.schema->find_struct("shared.SharedStruct") == f.type->struct_type);
  CHECK(r.schema->files().size() == 2);
}

TEST_CASE("cpp_include and namespaces, including '*' and annotations", "[idl][grammar]") {
  const Program& p =
      root_of(load_text("cpp_include \"<vector>\"\n"
                        "namespace * all.of.it\n"
                        "namespace cpp a.b\n"
                        "namespace xsd test (uri = 'http://x')\n"
                        "struct A {}\n"));
  REQUIRE(p.namespaces.size() == 3);
  CHECK(p.namespaces[0] == std::make_pair(std::string("*"), std::string("all.of.it")));
  CHECK(p.namespaces[1] == std::make_pair(std::string("cpp"), std::string("a.b")));
  CHECK(p.namespaces[2].first == "xsd");
}

TEST_CASE("typedef chains are followed, the declared name is kept", "[idl][grammar]") {
  const Program& p =
      root_of(load_text("typedef i32 A\ntypedef A B\ntypedef list<B> Bs\n"
                        "struct S { 1: B b, 2: Bs bs }\n"));
  const StructDescriptor& s = *p.structs[0];
  CHECK(s.fields[0].type->kind == TypeKind::kI32);
  CHECK(s.fields[0].declared_type == "B");
  CHECK(s.fields[1].type->kind == TypeKind::kList);
  CHECK(s.fields[1].type->element->kind == TypeKind::kI32);
  CHECK(s.fields[1].type->name == "list<i32>");
  CHECK(p.typedefs[1]->type->kind == TypeKind::kI32);
  CHECK(p.typedefs[1]->declared_type == "A");
}

TEST_CASE("enums with and without values, hex and negative", "[idl][grammar]") {
  const Program& p =
      root_of(load_text("enum E { A, B = 0x10, C, D = -5, E2 }\nstruct S { 1: E e = E.C }\n"));
  const EnumDescriptor& e = *p.enums[0];
  REQUIRE(e.values.size() == 5);
  CHECK(e.values[0].value == 0);
  CHECK(e.values[1].value == 16);
  CHECK(e.values[2].value == 17);
  CHECK(e.values[3].value == -5);
  CHECK(e.values[4].value == -4);
  CHECK(e.find_by_name("C")->value == 17);
  CHECK(e.find_by_value(-5)->name == "D");
  CHECK(e.find_by_value(3) == nullptr);
  const FieldDescriptor& f = p.structs[0]->fields[0];
  CHECK(f.type->kind == TypeKind::kEnum);
  CHECK(f.type->wire == WireType::kI32);
  REQUIRE(f.default_value);
  CHECK(f.default_value->int_value == 17);
}

TEST_CASE("consts: nested lists and maps, references, enum members", "[idl][grammar]") {
  const Program& p =
      root_of(load_text("enum Color { RED = 1, GREEN = 2 }\n"
                        "const i32 BASE = 7\n"
                        "const i32 COPY = BASE\n"
                        "const Color FAV = Color.GREEN\n"
                        "const Color BARE = RED\n"
                        "const map<string, list<i32>> M = { 'a': [1, 2, 3], \"b\": [] }\n"
                        "const list<map<Color, string>> L = [ { Color.RED: 'r' }, { 2: 'g' } ]\n"
                        "const set<i64> S = [ 0x7fffffffffffffff, -9223372036854775808, +5 ]\n"));
  CHECK(const_named(p, "COPY").value.int_value == 7);
  CHECK(const_named(p, "FAV").value.int_value == 2);
  CHECK(const_named(p, "BARE").value.int_value == 1);
  const ConstValue& m = const_named(p, "M").value;
  REQUIRE(m.kind == ConstValue::Kind::kMap);
  REQUIRE(m.map.size() == 2);
  CHECK(m.map[0].first.string_value == "a");
  CHECK(m.map[0].second.list.size() == 3);
  CHECK(m.map[0].second.list[2].int_value == 3);
  const ConstValue& l = const_named(p, "L").value;
  REQUIRE(l.list.size() == 2);
  CHECK(l.list[0].map[0].first.int_value == 1);
  CHECK(l.list[1].map[0].second.string_value == "g");
  const ConstValue& s = const_named(p, "S").value;
  CHECK(s.list[0].int_value == INT64_MAX);
  CHECK(s.list[1].int_value == INT64_MIN);
  CHECK(s.list[2].int_value == 5);
}

TEST_CASE("literals: doubles with exponent, strings in both quotes with escapes",
          "[idl][grammar]") {
  const Program& p =
      root_of(load_text("const double D1 = 1.5e3\nconst double D2 = -2.5E-2\n"
                        "const double D3 = .5\nconst double D4 = 3\n"
                        "const string S1 = 'say \"hi\"'\n"
                        "const string S2 = \"a\\tb\\n\\\"q\\\" \\\\ \\'\"\n"
                        "const bool T = true\nconst bool F = false\n"));
  CHECK(const_named(p, "D1").value.double_value == 1500.0);
  CHECK(const_named(p, "D2").value.double_value == -0.025);
  CHECK(const_named(p, "D3").value.double_value == 0.5);
  CHECK(const_named(p, "D4").value.kind == ConstValue::Kind::kDouble);
  CHECK(const_named(p, "D4").value.double_value == 3.0);
  CHECK(const_named(p, "S1").value.string_value == "say \"hi\"");
  CHECK(const_named(p, "S2").value.string_value == "a\tb\n\"q\" \\ '");
  CHECK(const_named(p, "T").value.int_value == 1);
  CHECK(const_named(p, "F").value.int_value == 0);
}

TEST_CASE("struct, union and exception, requiredness and defaults", "[idl][grammar]") {
  const Program& p = root_of(
      load_text("struct S { 1: required i32 a; 2: optional string b = 'x'; 3: i64 c = 5, }\n"
                "union U { 1: i32 x, 2: string y }\n"
                "exception E { 1: i32 code, 2: string message }\n"));
  const StructDescriptor& s = *p.structs[0];
  CHECK(s.kind == StructDescriptor::Kind::kStruct);
  CHECK(s.fields[0].requiredness == Requiredness::kRequired);
  CHECK(s.fields[1].requiredness == Requiredness::kOptional);
  CHECK(s.fields[1].default_value->string_value == "x");
  CHECK(s.fields[2].requiredness == Requiredness::kDefault);
  CHECK(s.fields[2].default_value->int_value == 5);
  CHECK(p.structs[1]->kind == StructDescriptor::Kind::kUnion);
  CHECK(p.structs[1]->fields[0].requiredness == Requiredness::kOptional);  // as in Thrift
  CHECK(p.structs[2]->kind == StructDescriptor::Kind::kException);
}

TEST_CASE("fields without ids get -1, -2, ... as in Thrift", "[idl][grammar]") {
  const Program& p = root_of(load_text("struct S { i32 a, 5: i32 b, string c }\n"));
  const StructDescriptor& s = *p.structs[0];
  CHECK(s.fields[0].id == -1);
  CHECK(s.fields[1].id == 5);
  CHECK(s.fields[2].id == -2);
  CHECK(s.field_by_id(-2)->name == "c");
}

TEST_CASE("services: extends, oneway, throws, synthesized args and result", "[idl][grammar]") {
  const Program& p =
      root_of(load_text("exception Oops { 1: i32 code }\n"
                        "service Base { void ping(), oneway void fire(1: string what) }\n"
                        "service Child extends Base {\n"
                        "  i64 add(1: i32 a, 2: i32 b) throws (1: Oops oops)\n"
                        "}\n"));
  const ServiceDescriptor& child = *p.services[1];
  CHECK(child.extends == p.services[0].get());
  auto all = child.all_functions();
  REQUIRE(all.size() == 3);
  CHECK(all[0]->name == "ping");
  CHECK(all[1]->name == "fire");
  CHECK(all[1]->oneway);
  CHECK(all[2]->name == "add");
  const FunctionDescriptor& add = *child.find_function("add");
  CHECK(child.find_function("ping") == nullptr);  // own functions only
  CHECK(add.args->name == "Child_add_args");
  REQUIRE(add.args->fields.size() == 2);
  CHECK(add.args->field_by_name("b")->id == 2);
  CHECK(add.result->name == "Child_add_result");
  REQUIRE(add.result->fields.size() == 2);
  CHECK(add.result->fields[0].id == 0);
  CHECK(add.result->fields[0].name == "success");
  CHECK(add.result->fields[0].type->kind == TypeKind::kI64);
  REQUIRE(add.exceptions.size() == 1);
  CHECK(add.exceptions[0] == &add.result->fields[1]);
  CHECK(add.exceptions[0]->type->struct_type->name == "Oops");
  const FunctionDescriptor& ping = *all[0];
  CHECK(ping.return_type->kind == TypeKind::kVoid);
  CHECK(ping.result->fields.empty());
}

TEST_CASE("annotations on every construct, valueless ones too", "[idl][grammar]") {
  const Program& p = root_of(
      load_text("typedef list<i32> (cpp.template = \"std::list\") L (td = 'x')\n"
                "enum E { A (weekend = 'yes'), B } (e.a = '1')\n"
                "struct S { 1: map<string, double (fixed = '16')> (m = 'n') f (fa = 'b', flag) }"
                " (cpp.type = 'Dense', java.final = '', bare)\n"
                "service Svc { void f() (deprecated) } (a.b = 'c')\n"));
  CHECK(*p.typedefs[0]->annotations.find("td") == "x");
  CHECK(*p.typedefs[0]->type->annotations.find("cpp.template") == "std::list");
  CHECK(*p.enums[0]->annotations.find("e.a") == "1");
  CHECK(*p.enums[0]->values[0].annotations.find("weekend") == "yes");
  const StructDescriptor& s = *p.structs[0];
  CHECK(*s.annotations.find("cpp.type") == "Dense");
  CHECK(*s.annotations.find("java.final") == "");
  CHECK_FALSE(s.annotations.items[1].valueless);
  CHECK(s.annotations.items[2].valueless);
  const FieldDescriptor& f = s.fields[0];
  CHECK(*f.annotations.find("fa") == "b");
  CHECK(f.annotations.items[1].key == "flag");
  CHECK(f.annotations.items[1].valueless);
  CHECK(*f.type->annotations.find("m") == "n");
  CHECK(*f.type->element->annotations.find("fixed") == "16");
  CHECK(*p.services[0]->annotations.find("a.b") == "c");
  CHECK(p.services[0]->functions[0]->annotations.items[0].key == "deprecated");
  CHECK(p.services[0]->functions[0]->annotations.find("missing") == nullptr);
}

TEST_CASE("uuid is a base type", "[idl][grammar]") {
  const Program& p =
      root_of(load_text("typedef uuid Id\nstruct S { 1: uuid a, 2: Id b }\n"
                        "const uuid U = '00000000-4444-CCCC-ffff-0123456789ab'\n"));
  CHECK(p.structs[0]->fields[0].type->kind == TypeKind::kUuid);
  CHECK(p.structs[0]->fields[0].type->wire == WireType::kUuid);
  CHECK(p.structs[0]->fields[1].type->kind == TypeKind::kUuid);
}

TEST_CASE("keywords are usable as names where Thrift >= 0.18 allows", "[idl][grammar]") {
  const Program& p = root_of(load_text(
      "struct delegate { 1: i8 i8, 2: string string, 3: list<string> list, 4: uuid uuid }\n"
      "service extern { delegate event(1: delegate get) }\n"));
  CHECK(p.structs[0]->name == "delegate");
  CHECK(p.structs[0]->fields[0].name == "i8");
  CHECK(p.structs[0]->fields[2].type->kind == TypeKind::kList);
  CHECK(p.services[0]->functions[0]->name == "event");
}

TEST_CASE("doc comments attach to the next construct, the first one documents the file",
          "[idl][grammar]") {
  const Program& p = root_of(
      load_text("/**\n * The program.\n */\nnamespace cpp x\n"
                "/** A struct. */\nstruct S {\n  /** A field. */\n  1: i32 a\n  2: i32 b\n}\n"
                "/** Values */ enum E { /** first */ A }\n"
                "service Svc {\n  /**\n   * Pings.\n   *   indented\n   */\n  void ping()\n}\n"));
  CHECK(p.doc == "The program.\n");
  CHECK(p.structs[0]->doc == "A struct.\n");
  CHECK(p.structs[0]->fields[0].doc == "A field.\n");
  CHECK(p.structs[0]->fields[1].doc.empty());
  CHECK(p.enums[0]->doc == "Values\n");
  CHECK(p.enums[0]->values[0].doc == "first\n");
  CHECK(p.services[0]->functions[0]->doc == "Pings.\n  indented\n");
}

TEST_CASE("a doc comment on the first definition is not the program's", "[idl][grammar]") {
  const Program& p = root_of(load_text("/** Only the struct. */\nstruct S {}\n"));
  CHECK(p.doc.empty());
  CHECK(p.structs[0]->doc == "Only the struct.\n");
}

// The program doc rule of Thrift 0.17; tests/conformance/idl_program_doc.py checks many
// more arrangements against the reference compiler itself.
TEST_CASE("a doc comment read as lookahead before the element is reduced keeps the candidate",
          "[idl][grammar]") {
  // The struct is reduced only once the token after '}' is read: the trailing doc
  // comment has been lexed by then, so the candidate is no longer the latest doc.
  const Program& p = root_of(load_text("/** Both. */\nstruct S {}\n/** Trailing. */\n"));
  CHECK(p.doc == "Both.\n");
  CHECK(p.structs[0]->doc == "Both.\n");
  // Field docs lexed inside the struct do the same.
  const Program& q = root_of(load_text("/** Both. */\nstruct S {\n  /** f */\n  1: i32 a\n}\n"));
  CHECK(q.doc == "Both.\n");
  CHECK(q.structs[0]->fields[0].doc == "f\n");
}

TEST_CASE("an element taking a doc on the candidate's line drops the candidate", "[idl][grammar]") {
  const Program& same_line = root_of(load_text("/** Candidate. */ /** Struct. */\nstruct S {}\n"));
  CHECK(same_line.doc.empty());
  CHECK(same_line.structs[0]->doc == "Struct.\n");
  const Program& next_line = root_of(load_text("/** Candidate. */\n/** Struct. */\nstruct S {}\n"));
  CHECK(next_line.doc == "Candidate.\n");
  // A doc comment's line is the line of its closing "*/".
  const Program& ends_there =
      root_of(load_text("/**\n * Candidate.\n */ /** Struct. */\nstruct S {}\n"));
  CHECK(ends_there.doc.empty());
}

TEST_CASE("a trailing separator or annotation list ends an element without lookahead",
          "[idl][grammar]") {
  CHECK(root_of(load_text("/** T */\ntypedef i32 T;\n/** S */\nstruct S {}\n")).doc.empty());
  CHECK(root_of(load_text("/** T */\ntypedef i32 T\n/** S */\nstruct S {}\n")).doc == "T\n");
  CHECK(root_of(load_text("/** E */\nenum E { A } (x = \"y\")\n/** S */\nstruct S {}\n"))
            .doc.empty());
  CHECK(root_of(load_text("/** E */\nenum E { A }\n/** S */\nstruct S {}\n")).doc == "E\n");
  CHECK(root_of(load_text("enum E {\n  /** A */\n  A,\n  /** B */\n  B\n}\n")).doc.empty());
  CHECK(root_of(load_text("enum E {\n  /** A */\n  A\n  /** B */\n  B\n}\n")).doc == "A\n");
}

TEST_CASE("a doc comment after the first header is the program's only if read as its lookahead",
          "[idl][grammar]") {
  // `namespace cpp x` might continue with annotations: the next token is read first.
  const Program& ns = root_of(load_text("namespace cpp x\n/** S */\nstruct S {}\n"));
  CHECK(ns.doc == "S\n");
  CHECK(ns.structs[0]->doc == "S\n");
  // `cpp_include "x"` and `namespace * x` cannot: reduced before the doc is lexed.
  CHECK(root_of(load_text("cpp_include \"x\"\n/** S */\nstruct S {}\n")).doc.empty());
  CHECK(root_of(load_text("namespace * x\n/** S */\nstruct S {}\n")).doc.empty());
  CHECK(root_of(load_text("namespace cpp x (a = \"b\")\n/** S */\nstruct S {}\n")).doc.empty());
}

TEST_CASE("comments of every kind and both separators", "[idl][grammar]") {
  const Program& p =
      root_of(load_text("# unix\n// c++\n/* c */ /**/\n"
                        "struct S { 1: i32 a; 2: i32 b, 3: i32 c }\n"
                        "enum E { A; B, C }\n"));
  CHECK(p.structs[0]->fields.size() == 3);
  CHECK(p.enums[0]->values.size() == 3);
}

TEST_CASE("json keys from go.tag and api.key, js_conv", "[idl][grammar]") {
  const Program& p =
      root_of(load_text("struct S {\n"
                        "  1: i64 amount (go.tag = 'json:\"total_amount,omitempty\" form:\"x\"')\n"
                        "  2: string b (api.key = 'bee')\n"
                        "  3: string c (go.tag = 'json:\",omitempty\"')\n"
                        "  4: i64 d (api.js_conv = 'true')\n"
                        "  5: i64 e (api.js_conv = 'false')\n"
                        "  6: i64 f (api.js_conv)\n"
                        "}\n"));
  const StructDescriptor& s = *p.structs[0];
  CHECK(s.fields[0].json_key == "total_amount");
  CHECK(s.fields[1].json_key == "bee");
  CHECK(s.fields[2].json_key == "c");
  CHECK(s.fields[3].js_conv);
  CHECK_FALSE(s.fields[4].js_conv);
  CHECK(s.fields[5].js_conv);
  CHECK(s.field_by_json_key("total_amount") == &s.fields[0]);
  CHECK(s.field_by_json_key("amount") == nullptr);
  CHECK(s.field_by_name("amount") == &s.fields[0]);
}

TEST_CASE("HTTP annotations give verb, path and route segment", "[idl][grammar]") {
  const Program& p =
      root_of(load_text("service Pay {\n"
                        "  void UnifyPay() (api.post = '/payment/unifypay')\n"
                        "  void Query() (api.get = '/payment/query/')\n"
                        "  void Plain()\n"
                        "}\n"));
  const auto& fns = p.services[0]->functions;
  CHECK(fns[0]->http_verb == "post");
  CHECK(fns[0]->http_path == "/payment/unifypay");
  CHECK(fns[0]->route_segment == "unifypay");
  CHECK(fns[1]->route_segment == "query");
  CHECK(fns[2]->http_verb.empty());
  CHECK(fns[2]->route_segment.empty());
}

TEST_CASE("recursive types and forward references", "[idl][grammar]") {
  const Program& p =
      root_of(load_text("struct Tree { 1: list<Tree> children, 2: Leaf leaf }\n"
                        "struct Leaf { 1: optional Tree back }\n"));
  const StructDescriptor& tree = *p.structs[0];
  CHECK(tree.fields[0].type->element->struct_type == &tree);
  CHECK(tree.fields[1].type->struct_type == p.structs[1].get());
  CHECK(p.structs[1]->fields[0].type->struct_type == &tree);
}

TEST_CASE("field lookup tables are O(1) and complete", "[idl][grammar]") {
  std::string text = "struct Big {\n";
  for (int i = 1; i <= 200; ++i) {
    text += "  " + std::to_string(i * 3) + ": i32 f" + std::to_string(i) + "\n";
  }
  text += "}\n";
  const Program& p = root_of(load_text(text));
  const StructDescriptor& s = *p.structs[0];
  for (int i = 1; i <= 200; ++i) {
    const FieldDescriptor* by_id = s.field_by_id(static_cast<int16_t>(i * 3));
    REQUIRE(by_id);
    CHECK(by_id->name == "f" + std::to_string(i));
    CHECK(s.field_by_name("f" + std::to_string(i)) == by_id);
    CHECK(s.field_by_json_key("f" + std::to_string(i)) == by_id);
  }
  CHECK(s.field_by_id(4) == nullptr);
  CHECK(s.field_by_id(0) == nullptr);
  CHECK(s.field_by_id(601) == nullptr);
  CHECK(s.field_by_name("nope") == nullptr);
}

TEST_CASE("optional in argument lists is ignored, as in Thrift", "[idl][grammar]") {
  const Program& p =
      root_of(load_text("service S { void f(1: optional i32 a, 2: required i32 b) }\n"));
  const StructDescriptor& args = *p.services[0]->functions[0]->args;
  CHECK(args.fields[0].requiredness == Requiredness::kDefault);
  CHECK(args.fields[1].requiredness == Requiredness::kRequired);
}

TEST_CASE("descriptors carry their source position", "[idl][grammar]") {
  auto r = load_files({{"main.thrift",
                        "include \"inc.thrift\"\n"
                        "struct S {\n  1: i32 a\n}\n"
                        "service Svc {\n  void ping()\n}\n"},
                       {"inc.thrift", "\n\nenum E { A }\n"}});
  const Program& p = root_of(r);
  CHECK(p.structs[0]->location.file == "main.thrift");
  CHECK(p.structs[0]->location.line == 2);
  CHECK(p.structs[0]->location.column == 8);
  CHECK(p.structs[0]->fields[0].location.line == 3);
  CHECK(p.structs[0]->fields[0].location.column == 10);
  CHECK(p.services[0]->functions[0]->location.line == 6);
  CHECK(p.services[0]->functions[0]->location.column == 8);
  const EnumDescriptor& e = *p.includes[0]->enums[0];
  CHECK(e.location.file == "inc.thrift");
  CHECK(e.location.line == 3);
  CHECK(e.location.column == 6);
}
