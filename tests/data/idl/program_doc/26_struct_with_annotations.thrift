# expect program doc: none
# The annotations' ')' ends the struct: reduced without lookahead.
/** Struct A doc. */
struct A {
  1: i32 x
} (final = "true")
/** Struct B doc. */
struct B {}
