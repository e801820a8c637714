# expect program doc: none
# The first doc comment documents an enum value; `,` ends it without lookahead.
enum E {
  /** Value doc. */
  A = 1,
  /** Next value doc. */
  B = 2
}
