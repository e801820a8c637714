# expect program doc: none
# The annotations' ')' ends the enum: reduced without lookahead, candidate dropped.
/** Enum doc. */
enum E {
  A = 1,
  B = 2
} (x = "y")
/** Struct doc. */
struct S {}
