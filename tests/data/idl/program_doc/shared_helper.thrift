# expect program doc: Helper module doc.
# Included by 08 and 49; its own doc is confirmed by its namespace.
/** Helper module doc. */
namespace cpp test.helper
struct Helper {}
