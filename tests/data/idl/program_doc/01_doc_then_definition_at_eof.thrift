# expect program doc: none
# The only doc comment documents the struct; the struct is reduced at end of file with
# that comment still the latest one lexed, so the program gets no doc.
/** The struct's doc. */
struct A {
  1: i32 x
}
