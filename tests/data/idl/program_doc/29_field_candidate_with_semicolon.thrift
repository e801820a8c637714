# expect program doc: none
# `;` ends the field: reduced without lookahead, the candidate is dropped.
struct A {
  /** Field doc. */
  1: i32 x;
  /** Next field doc. */
  2: i32 y;
}
