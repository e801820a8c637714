# expect program doc: none
# `include "x"` is reduced without lookahead: no candidate yet, so no program doc ever.
include "shared_helper.thrift"
/** Struct doc only. */
struct A {
  1: shared_helper.Helper h
}
