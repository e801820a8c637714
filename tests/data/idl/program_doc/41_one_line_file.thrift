# expect program doc: none
# Everything on one line: the field's doc shares the candidate's line.
/** a */ struct A { /** f */ 1: i32 x } /** t */
