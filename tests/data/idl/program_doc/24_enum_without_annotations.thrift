# expect program doc: Enum doc and program doc.
# After '}' the parser looks for annotations, lexing the next doc comment.
/** Enum doc and program doc. */
enum E {
  A,
  B
}
/** Struct doc. */
struct S {}
