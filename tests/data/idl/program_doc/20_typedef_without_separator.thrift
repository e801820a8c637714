# expect program doc: Typedef doc and program doc.
# Without a separator the parser reads the next token first, lexing the next doc.
/** Typedef doc and program doc. */
typedef i32 Id
/** Struct doc. */
struct A {}
