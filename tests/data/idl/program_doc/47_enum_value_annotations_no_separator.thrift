# expect program doc: Value doc and program doc.
# After annotations the optional separator still needs a lookahead.
enum E {
  /** Value doc and program doc. */
  A = 1 (x = "y")
  /** Next value doc. */
  B = 2 (x = "z");
}
