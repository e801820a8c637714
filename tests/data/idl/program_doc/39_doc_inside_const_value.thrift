# expect program doc: Const doc.
# Doc comments inside a constant value document nothing there: still pending.
/** Const doc. */
const map<string, i32> M = {"a": 1, /** inside */ "b": 2};
struct A {}
