# expect program doc: Typedef doc and program doc.
# The doc comment before `;` is lexed as the typedef's lookahead (is there an
# annotation?), before the `;` is shifted: the candidate is no longer the latest doc.
/** Typedef doc and program doc. */
typedef i32 Id
/** Pending, then taken by the struct. */ ;
struct A {}
