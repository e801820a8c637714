# expect program doc: Struct doc, also the program's.
# The struct is reduced after its field docs were lexed: the candidate stays.
/** Struct doc, also the program's. */
struct A {
  /** Field doc. */
  1: i32 x
  /** Another field doc. */
  2: string y
}
