# expect program doc: Program doc, confirmed by the namespace.
# A header after the candidate confirms it.
/** Program doc, confirmed by the namespace. */
namespace cpp test.doc

struct A {}
