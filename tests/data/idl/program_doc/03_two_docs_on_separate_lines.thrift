# expect program doc: Program doc.
# A doc comment directly followed by another: the struct takes the second one, the
# first (candidate) is the program's.
/** Program doc. */
/** Struct doc. */
struct A {}
