# expect program doc: none
# `cpp_include "x"` is reduced without lookahead: no candidate yet, so none ever.
cpp_include "<string>"
/** Struct doc only. */
struct A {}
