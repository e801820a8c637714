# expect program doc: Struct doc and program doc.
# A blank doc comment is lexed (it moves Thrift's "line of the latest doc") but
# documents nothing.
/** Struct doc and program doc. */
struct A {}
/** */
