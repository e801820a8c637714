// Every field shape the codec maps (SPEC §5), for codec unit and interop tests.
// Accepted by the Apache Thrift 0.17 compiler (no uuid: 0.17 predates it).
namespace cpp codec_test

enum Color {
  RED = 1,
  GREEN = 2,
  BLUE = 5,
}

struct Inner {
  1: required i32 a,
  2: string b = "dflt",
}

union Choice {
  1: i32 n,
  2: string s,
  3: Inner inner,
}

exception Oops {
  1: i32 code,
  2: string message,
}

struct AllTypes {
  1: bool b,
  2: i8 i8v,
  3: i16 i16v,
  4: i32 i32v,
  5: i64 i64v,
  6: double d,
  7: string s,
  8: binary bin,
  9: Color color,
  10: list<i32> li,
  11: set<string> ss,
  12: map<string, i64> msi,
  13: map<i32, string> mis,
  14: map<Color, Inner> mci,
  15: Inner inner,
  16: list<list<Inner>> nested,
  17: Choice choice,
  18: optional i32 opt = 7,
  19: i32 dflt = 42,
  20: required string req,
  21: i64 js (api.js_conv = "true"),
  22: map<i64, list<string>> mil,
  23: list<bool> lb,
  24: set<i16> si16,
  25: map<i8, double> mbd,
  26: list<binary> lbin,
  27: optional Inner opt_inner,
  28: bool flag = true,
  29: double dd = 1.5,
  30: list<i32> ldef = [1, 2, 3],
  31: string keyed (go.tag = 'json:"renamed"'),
  32: map<bool, string> mbs,
}

service CodecTest {
  AllTypes Echo(1: AllTypes req) throws (1: Oops e)
  i32 Add(1: i32 a, 2: i32 b)
  void Ping()
  oneway void Fire(1: string s)
}
