# expect program doc: Const doc and program doc.
# No separator: the next doc comment is lexed before the const is reduced.
/** Const doc and program doc. */
const list<i32> L = [1, 2, 3]
/** Struct doc. */
struct A {}
