# expect program doc: Program doc.
# The candidate is confirmed by the header; later docs only document definitions.
/** Program doc. */
namespace py test.doc
/** A's doc. */
struct A {}
/** B's doc. */
struct B {}
/** Trailing. */
