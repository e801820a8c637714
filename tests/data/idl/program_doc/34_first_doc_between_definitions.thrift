# expect program doc: none
# The first doc comment may come after a definition; B takes it at end of file.
struct A {}
/** B's doc; B is reduced at end of file. */
union B {
  1: i32 x
}
