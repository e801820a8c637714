# expect program doc: Struct A's doc and the program's.
# A doc comment before '}' documents nothing inside the struct, but it is the latest
# doc lexed when the struct is reduced; and it is still pending for the next definition.
/** Struct A's doc and the program's. */
struct A {
  1: i32 x
  /** Dangling, picked up by B. */
}
struct B {}
