// Every error a user can cause in an IDL file, with its exact position and message.
#include <catch2/catch.hpp>

#include "idl_test_util.hpp"

using opp::idl::test::first_error;
using opp::idl::test::load_files;

TEST_CASE("syntax: names the found token and what was expected", "[idl][errors]") {
  CHECK(first_error("struct A {\n  1: i32 a\n  2 i32 b\n}\n") ==
        "main.thrift:3:5: expected ':' after field id 2 but found 'i32'");
  CHECK(first_error("struct A {\n  1: i32\n}\n") ==
        "main.thrift:3:1: expected a field name but found '}'");
  CHECK(first_error("struct A { 1: i32 a") ==
        "main.thrift:1:20: expected a field or '}' but found end of file");
  CHECK(first_error("strukt A {}") ==
        "main.thrift:1:1: expected a definition (const, typedef, enum, struct, union, exception "
        "or service) but found 'strukt'");
  CHECK(first_error("struct A { 1: required }") ==
        "main.thrift:1:24: expected a type but found '}'");
  CHECK(first_error("const i32 X 5") ==
        "main.thrift:1:13: expected '=' after the constant name but found '5'");
  CHECK(first_error("service S { void f( }") ==
        "main.thrift:1:21: expected a field or ')' but found '}'");
  CHECK(first_error("struct A { 1: map<i32 string> m }") ==
        "main.thrift:1:23: expected ',' between map key and value types but found 'string'");
  CHECK(first_error("struct A {} (key = value)") ==
        "main.thrift:1:20: expected a quoted annotation value for 'key' but found 'value'");
  CHECK(first_error("const list<i32> L = [1, 2") ==
        "main.thrift:1:26: expected a value or ']' but found end of file");
}

TEST_CASE("syntax: every construct says what it expected", "[idl][errors]") {
  const std::pair<const char*, const char*> cases[] = {
      {"const i32 X = }", "1:15: expected a constant value but found '}'"},
      {"service S { 5 }", "1:13: expected a function or '}' but found '5'"},
      {"const map<i32,i32> M = {1: 2", "1:29: expected a key or '}' but found end of file"},
      {"const map<i32,i32> M = {1 2}",
       "1:27: expected ':' between map key and value but found '2'"},
      {"namespace 5 x", "1:11: expected a language scope or '*' after 'namespace' but found '5'"},
      {"namespace cpp 5", "1:15: expected a namespace name after 'namespace cpp' but found '5'"},
      {"cpp_include x", "1:13: expected a quoted file name after 'cpp_include' but found 'x'"},
      {"enum E { 5 }", "1:10: expected an enum value name or '}' but found '5'"},
      {"enum E { A = x }", "1:14: expected an integer value for 'A' but found 'x'"},
      {"enum E [", "1:8: expected '{' to open enum 'E' but found '['"},
      {"service S { void f[ }", "1:19: expected '(' after function name 'f' but found '['"},
      {"service S { void f() throws [ }", "1:29: expected '(' after 'throws' but found '['"},
      {"service S extends 5 {}", "1:19: expected a service name after 'extends' but found '5'"},
      {"struct { }", "1:8: expected a name after 'struct' but found '{'"},
      {"exception E [", "1:13: expected '{' to open exception 'E' but found '['"},
      {"typedef i32 5", "1:13: expected a typedef name but found '5'"},
      {"struct A { 1: list<i32 x }", "1:24: expected '>' to close 'list<' but found 'x'"},
      {"struct A { 1: set cpp_type 5 <i32> x }",
       "1:28: expected a quoted type after 'cpp_type' but found '5'"},
      {"struct A {} ( 5 )", "1:15: expected an annotation name or ')' but found '5'"},
      {"struct A { 1: i32 a xsd_attrs [ }", "1:31: expected '{' after 'xsd_attrs' but found '['"},
  };
  for (const auto& [text, error] : cases) {
    INFO(text);
    CHECK(first_error(text) == std::string("main.thrift:") + error);
  }
}

TEST_CASE("syntax: headers must come before definitions", "[idl][errors]") {
  CHECK(first_error("struct A {}\ninclude \"b.thrift\"\n") ==
        "main.thrift:2:1: 'include' must come before every definition");
  CHECK(first_error("include b.thrift\n") ==
        "main.thrift:1:9: expected a quoted file name after 'include' but found 'b.thrift'");
}

TEST_CASE("lexical errors", "[idl][errors]") {
  CHECK(first_error("const string S = \"abc\nstruct A {}") ==
        "main.thrift:1:18: unterminated string literal: expected closing \" before end of line");
  CHECK(first_error("const string S = 'a\\qb'") ==
        "main.thrift:1:20: bad escape character '\\q' in string literal (expected one of \\r "
        "\\n \\t \\\" \\' \\\\)");
  CHECK(first_error("struct A {}\n/* never closed") ==
        "main.thrift:2:1: unterminated comment: expected '*/' before end of file");
  CHECK(first_error("struct A { 1: i32 a $ }") == "main.thrift:1:21: unexpected character '$'");
}

TEST_CASE("integer literals beyond i64", "[idl][errors]") {
  CHECK(first_error("const i64 X = 9876543210987654321") ==
        "main.thrift:1:15: integer constant '9876543210987654321' is out of range (beyond i64)");
  CHECK(first_error("const i64 X = -9223372036854775809") ==
        "main.thrift:1:15: integer constant '-9223372036854775809' is out of range (beyond i64)");
  CHECK(first_error("const i64 X = 0x10000000000000000") ==
        "main.thrift:1:15: integer constant '0x10000000000000000' is out of range (beyond i64)");
  CHECK(first_error("const i64 X = 9223372036854775807").empty());
  CHECK(first_error("const i64 X = -9223372036854775808").empty());
}

TEST_CASE("const ranges of i8, i16, i32 and enums", "[idl][errors]") {
  CHECK(first_error("const i8 X = 128") ==
        "main.thrift:1:14: constant 'X': value 128 is out of range for i8 (-128..127)");
  CHECK(first_error("const byte X = -129") ==
        "main.thrift:1:16: constant 'X': value -129 is out of range for i8 (-128..127)");
  CHECK(first_error("const i16 X = 32768") ==
        "main.thrift:1:15: constant 'X': value 32768 is out of range for i16 (-32768..32767)");
  CHECK(first_error("const i32 X = 2147483648") ==
        "main.thrift:1:15: constant 'X': value 2147483648 is out of range for i32 "
        "(-2147483648..2147483647)");
  CHECK(first_error("const list<i8> X = [1, 300]") ==
        "main.thrift:1:24: constant 'X': value 300 is out of range for i8 (-128..127)");
  CHECK(first_error("struct S { 1: i16 x = 70000 }") ==
        "main.thrift:1:23: default of field 'x' in struct 'S': value 70000 is out of range for "
        "i16 (-32768..32767)");
  CHECK(first_error("const i8 X = 127").empty());
}

TEST_CASE("enum value overflow", "[idl][errors]") {
  CHECK(first_error("enum E {\n  A = 68719476736\n}") ==
        "main.thrift:2:7: enum value 68719476736 of 'A' is out of range (i32)");
  CHECK(first_error("enum E { A = 2147483647, B }") ==
        "main.thrift:1:26: enum value of 'B' overflows i32 (previous value 2147483647)");
  CHECK(first_error("enum E { A, A }") ==
        "main.thrift:1:13: enum value 'A' is already defined in enum 'E'");
}

TEST_CASE("field ids: duplicates and range", "[idl][errors]") {
  CHECK(first_error("struct S {\n  1: i32 a\n  1: i32 b\n}") ==
        "main.thrift:3:3: field id 1 of 'b' is already used by 'a' in struct 'S'");
  CHECK(first_error("struct S { 40000: i32 a }") ==
        "main.thrift:1:12: field id 40000 is out of range (1..32767)");
  CHECK(first_error("struct S { 0: i32 a }") ==
        "main.thrift:1:12: field id 0 is out of range (1..32767)");
  CHECK(first_error("service X { void f(1: i32 a, 1: i32 b) }") ==
        "main.thrift:1:30: field id 1 of 'b' is already used by 'a' in arguments of 'X.f'");
  CHECK(first_error("exception E {}\nservice X { void f() throws (1: E a, 1: E b) }") ==
        "main.thrift:2:38: field id 1 of 'b' is already used by 'a' in throws of 'X.f'");
}

TEST_CASE("field names: duplicates", "[idl][errors]") {
  CHECK(first_error("union U { 1: i32 a, 2: string a }") ==
        "main.thrift:1:31: field name 'a' is already used in union 'U'");
}

TEST_CASE("duplicate type, const, service and function names", "[idl][errors]") {
  CHECK(first_error("struct A {}\nenum A { X }") ==
        "main.thrift:2:6: type 'A' is already defined at line 1");
  CHECK(first_error("typedef i32 T\nstruct T {}") ==
        "main.thrift:2:8: type 'T' is already defined at line 1");
  CHECK(first_error("struct T {}\ntypedef i32 T\nstruct U { 1: T t }") ==
        "main.thrift:2:13: type 'T' is already defined at line 1");
  CHECK(first_error("const i32 C = 1\nconst i32 C = 2") ==
        "main.thrift:2:11: constant 'C' is already defined at line 1");
  CHECK(first_error("service S {}\nservice S {}") ==
        "main.thrift:2:9: service 'S' is already defined at line 1");
  CHECK(first_error("service S {\n  void f()\n  i32 f()\n}") ==
        "main.thrift:3:7: function 'f' is already defined in service 'S'");
}

TEST_CASE("unknown types", "[idl][errors]") {
  CHECK(first_error("struct S {\n  1: Missing m\n}") == "main.thrift:2:6: unknown type 'Missing'");
  CHECK(first_error("typedef list<Nope> L") == "main.thrift:1:14: unknown type 'Nope'");
  CHECK(first_error("service X { Ghost f() }") == "main.thrift:1:13: unknown type 'Ghost'");
  CHECK(first_error("service X {}\nstruct S { 1: X x }") ==
        "main.thrift:2:15: 'X' is a service, not a type");
  CHECK(first_error("typedef A B\ntypedef B A") ==
        "main.thrift:1:11: typedef 'B' refers to itself");
}

TEST_CASE("includes: not found, cycles, unknown prefix", "[idl][errors]") {
  CHECK(first_error("include \"nowhere.thrift\"\n") ==
        "main.thrift:1:9: include file 'nowhere.thrift' not found");
  auto cycle = load_files({{"main.thrift", "include \"a.thrift\"\n"},
                           {"a.thrift", "\n\ninclude \"b.thrift\"\n"},
                           {"b.thrift", "include \"a.thrift\"\n"}});
  REQUIRE(cycle.errors.size() == 1);
  CHECK(cycle.errors[0].to_string() ==
        "b.thrift:1:9: include cycle: a.thrift -> b.thrift -> a.thrift");
  CHECK_FALSE(cycle.schema);
  auto self = load_files({{"main.thrift", "include \"main.thrift\"\n"}});
  REQUIRE(self.errors.size() == 1);
  CHECK(self.errors[0].to_string() == "main.thrift:1:9: include cycle: main.thrift -> main.thrift");
  auto unknown = load_files({{"main.thrift", "include \"a.thrift\"\nstruct S { 1: b.T t }\n"},
                             {"a.thrift", "struct T {}\n"}});
  REQUIRE(unknown.errors.size() == 1);
  CHECK(unknown.errors[0].to_string() == "main.thrift:2:15: unknown type 'b.T'");
  auto in_include = load_files({{"main.thrift", "include \"a.thrift\"\n"},
                                {"a.thrift", "struct T {\n  1: i32 x\n  1: i32 y\n}\n"}});
  REQUIRE(in_include.errors.size() == 1);
  CHECK(in_include.errors[0].to_string() ==
        "a.thrift:3:3: field id 1 of 'y' is already used by 'x' in struct 'T'");
}

TEST_CASE("bad extends", "[idl][errors]") {
  CHECK(first_error("service S extends Nope {}") ==
        "main.thrift:1:19: service 'S' extends unknown service 'Nope'");
  CHECK(first_error("struct T {}\nservice S extends T {}") ==
        "main.thrift:2:19: service 'S' cannot extend 'T': it is not a service");
  CHECK(first_error("service A extends B {}\nservice B extends A {}") ==
        "main.thrift:1:19: service 'A' extends itself (through 'B')");
  auto across =
      load_files({{"main.thrift", "include \"base.thrift\"\nservice S extends base.Gone {}\n"},
                  {"base.thrift", "service Base {}\n"}});
  REQUIRE(across.errors.size() == 1);
  CHECK(across.errors[0].to_string() ==
        "main.thrift:2:19: service 'S' extends unknown service 'base.Gone'");
}

TEST_CASE("const values that do not match their type", "[idl][errors]") {
  CHECK(first_error("const i32 X = 'text'") ==
        "main.thrift:1:15: constant 'X': expected a value of type i32 but found string \"text\"");
  CHECK(first_error("const string S = 5") ==
        "main.thrift:1:18: constant 'S': expected a value of type string but found integer 5");
  CHECK(first_error("const i32 X = 1.5") ==
        "main.thrift:1:15: constant 'X': expected a value of type i32 but found double value");
  CHECK(first_error("const list<i32> L = {1: 2}") ==
        "main.thrift:1:21: constant 'L': expected a value of type list<i32> but found a map");
  CHECK(first_error("const i32 X = NOPE") ==
        "main.thrift:1:15: constant 'X': unknown constant 'NOPE'");
  CHECK(first_error("enum E { A }\nconst E X = B") ==
        "main.thrift:2:13: constant 'X': 'B' is not a member of enum E");
  CHECK(first_error("const string S = 'a'\nconst i32 X = S") ==
        "main.thrift:2:15: constant 'X': expected a value of type i32 but found string \"a\"");
  CHECK(first_error("struct P { 1: i32 x }\nconst P V = { 'y': 1 }") ==
        "main.thrift:2:15: constant 'V': 'P' has no field 'y'");
  CHECK(first_error("struct P { 1: i32 x }\nconst P V = { 'x': 'one' }") ==
        "main.thrift:2:20: constant 'V' (field 'x'): expected a value of type i32 but found "
        "string \"one\"");
  CHECK(first_error("struct P { 1: i32 x }\nconst P V = { 1: 2 }") ==
        "main.thrift:2:15: constant 'V': expected a quoted field name of 'P' but found integer 1");
  CHECK(first_error("union U { 1: i32 a, 2: i32 b }\nconst U V = { 'a': 1, 'b': 2 }") ==
        "main.thrift:2:13: constant 'V': union 'U' can have only one field set");
  CHECK(first_error("const i32 A = B\nconst i32 B = A") ==
        "main.thrift:1:11: constant 'A' refers to itself");
  CHECK(first_error("const void V = 1") == "main.thrift:1:7: expected a type but found 'void'");
}

TEST_CASE("function rules: oneway and throws", "[idl][errors]") {
  CHECK(first_error("service S { oneway i32 f() }") ==
        "main.thrift:1:20: oneway function 'S.f' must return void");
  CHECK(first_error("exception E {}\nservice S { oneway void f() throws (1: E e) }") ==
        "main.thrift:2:37: oneway function 'S.f' cannot throw exceptions");
  CHECK(first_error("struct NotEx {}\nservice S { void f() throws (1: NotEx e) }") ==
        "main.thrift:2:39: 'S.f' throws 'NotEx', which is not an exception");
}

TEST_CASE("union with several defaults", "[idl][errors]") {
  CHECK(first_error("union U { 1: i32 a = 1, 2: i32 b = 2 }") ==
        "main.thrift:1:36: union 'U' can have only one field with a default value ('a' already "
        "has one)");
}

TEST_CASE("several errors are reported in source order", "[idl][errors]") {
  auto r = opp::idl::test::load_text("struct S {\n  1: Foo a\n  2: Bar b\n}\nconst i8 X = 999\n");
  REQUIRE(r.errors.size() == 3);
  CHECK(r.errors[0].to_string() == "main.thrift:2:6: unknown type 'Foo'");
  CHECK(r.errors[1].to_string() == "main.thrift:3:6: unknown type 'Bar'");
  CHECK(r.errors[2].where.line == 5);
  CHECK_FALSE(r.schema);
}

TEST_CASE("a file that cannot be read", "[idl][errors]") {
  auto r = load_files({}, "absent.thrift");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].to_string() == "absent.thrift:1:1: cannot read file");
}

TEST_CASE("nesting and definition chains are bounded", "[idl][errors]") {
  std::string deep = "struct S { 1: ";
  for (int i = 0; i < 300; ++i) deep += "list<";
  deep += "i32";
  for (int i = 0; i < 300; ++i) deep += ">";
  deep += " f }";
  CHECK(first_error(deep) == "main.thrift:1:1015: nesting deeper than 200 levels");
  std::string value = "const list<i32> L = ";
  for (int i = 0; i < 300; ++i) value += "[";
  CHECK(first_error(value) == "main.thrift:1:221: nesting deeper than 200 levels");

  std::string chain;
  for (int k = 0; k < 600; ++k) {
    chain += "typedef T" + std::to_string(k + 1) + " T" + std::to_string(k) + "\n";
  }
  chain += "typedef i32 T600\n";
  auto r = opp::idl::test::load_text(chain);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].to_string() ==
        "main.thrift:501:14: typedef 'T500' is defined through more than 500 other definitions");
}
