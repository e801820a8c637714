# expect program doc: Lexed as the namespace's lookahead.
# Headers only; the doc is lexed as the first namespace's lookahead.
namespace cpp test.doc
/** Lexed as the namespace's lookahead. */
namespace java test.doc
