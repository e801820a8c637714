# expect program doc: Field doc and program doc.
# A field ending in a default value or annotations needs a lookahead.
struct A {
  /** Field doc and program doc. */
  1: i32 x = 5
  /** Next field doc. */
  2: i32 y (a = "b")
}
