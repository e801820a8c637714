# expect program doc: none
# The closing ')' of the annotations ends the header: reduced without lookahead.
namespace cpp test.doc (x = "y")
/** Struct doc only. */
struct A {}
