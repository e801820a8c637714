# expect program doc: none
# `,` ends the const: reduced without lookahead, the candidate is dropped.
/** Const doc. */
const i32 X = 1,
/** Struct doc. */
struct A {}
