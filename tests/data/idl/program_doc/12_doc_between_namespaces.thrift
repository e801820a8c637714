# expect program doc: Program doc.
# Lexed as the lookahead of the first header: candidate, then confirmed. The next
# header's DestroyDocText drops it as a pending doc, so the struct has none.
namespace cpp test.doc
/** Program doc. */
namespace java test.doc
struct A {}
