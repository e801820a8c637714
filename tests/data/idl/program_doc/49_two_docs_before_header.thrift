# expect program doc: Program doc.
# The first of two doc comments before the header is the candidate.
/** Program doc. */
/** Cleared before the header. */
include "shared_helper.thrift"
struct A {}
