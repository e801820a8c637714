# expect program doc: none
# A blank doc comment on the candidate's line drops it like any other.
/** Struct doc. */ struct A {} /**   */
