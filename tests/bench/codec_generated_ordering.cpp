// baseline.thrift uses structs as map keys and set elements (Nesting2), so the generated
// C++ declares operator< for Simple and Nesting but leaves its definition to the user.
// A lexicographic order over the scalar fields is enough for the tests and benchmarks,
// which never put these structs in ordered containers.
#include <tuple>

#include "baseline_types.h"

bool Simple::operator<(const Simple& rhs) const {
  return std::tie(ByteField, I64Field, DoubleField, I32Field, StringField, BinaryField) <
         std::tie(rhs.ByteField, rhs.I64Field, rhs.DoubleField, rhs.I32Field, rhs.StringField,
                  rhs.BinaryField);
}

bool Nesting::operator<(const Nesting& rhs) const {
  return std::tie(String, Double, I32, I64, Binary, Byte) <
         std::tie(rhs.String, rhs.Double, rhs.I32, rhs.I64, rhs.Binary, rhs.Byte);
}
