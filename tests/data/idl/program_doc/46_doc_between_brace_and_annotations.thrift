# expect program doc: Struct doc and program doc.
# The doc before '(' is lexed looking for annotations, before the ')'.
/** Struct doc and program doc. */
struct A {}
/** Lexed looking for annotations; pending for the next definition. */ (x = "y")
exception E {}
