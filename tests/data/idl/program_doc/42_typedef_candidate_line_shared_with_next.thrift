# expect program doc: none
# The doc lexed as the typedef's lookahead is on the candidate's line.
/** Typedef doc. */ typedef i32 Id /** Struct doc. */
struct A {}
