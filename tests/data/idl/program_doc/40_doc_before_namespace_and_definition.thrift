# expect program doc: Program doc; cleared before the header, so not A's.
# The candidate is cleared as a pending doc before the header.
/** Program doc; cleared before the header, so not A's. */
namespace cpp test.doc
struct A {}
/** B's doc. */
exception B {}
