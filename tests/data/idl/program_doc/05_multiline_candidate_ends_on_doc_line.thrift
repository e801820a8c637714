# expect program doc: none
# The line of a doc comment is the line of its closing "*/".
/**
 * Candidate spanning lines.
 */ /** Struct doc, on the candidate's last line. */
struct A {}
