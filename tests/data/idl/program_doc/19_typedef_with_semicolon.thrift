# expect program doc: none
# `;` ends the typedef: reduced without lookahead, the candidate is still the latest
# doc comment, so it is dropped.
/** Typedef doc. */
typedef i32 Id;
/** Struct doc. */
struct A {}
