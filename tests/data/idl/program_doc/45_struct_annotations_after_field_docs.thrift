# expect program doc: Struct doc and program doc.
# Reduced without lookahead, but the field doc was lexed after the candidate.
/** Struct doc and program doc. */
struct A {
  /** Field doc. */
  1: i32 x
} (x = "y")
