# expect program doc: First doc: the struct's and the program's.
# A doc comment after the last definition is lexed as the lookahead that reduces the
# struct: the candidate is no longer the latest doc comment, so it stays the program's.
/** First doc: the struct's and the program's. */
struct A {
  1: i32 x
}
/** Trailing doc, documents nothing. */
