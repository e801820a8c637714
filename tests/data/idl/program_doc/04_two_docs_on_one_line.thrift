# expect program doc: none
# Thrift compares line numbers, not comments: the struct's doc ends on the candidate's
# line, so taking it drops the candidate.
/** Candidate. */ /** Struct doc. */
struct A {}
