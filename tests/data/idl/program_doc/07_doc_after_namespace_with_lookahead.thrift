# expect program doc: Struct doc and program doc.
# `namespace cpp x` may be followed by annotations, so the parser reads the next token
# (lexing this doc comment) before reducing the header: the doc becomes the candidate
# and the header confirms it. The struct takes it too.
namespace cpp test.doc
/** Struct doc and program doc. */
struct A {}
