# expect program doc: none
# `namespace * x` has no annotations: reduced without lookahead.
namespace * test.doc
/** Struct doc only. */
struct A {}
