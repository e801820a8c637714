# expect program doc: Field doc and program doc.
# A list default value then no separator: the next doc is lexed first.
struct A {
  /** Field doc and program doc. */
  1: list<i32> xs = [1, 2]
  /** Next field doc. */
  2: i32 y,
}
