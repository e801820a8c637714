# expect program doc: Typedef doc and program doc.
# After the annotations the optional separator still needs a lookahead.
/** Typedef doc and program doc. */
typedef i32 Id (a = "b")
/** Struct doc. */
struct A {}
