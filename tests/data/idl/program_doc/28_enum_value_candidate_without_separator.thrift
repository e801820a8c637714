# expect program doc: Value doc and program doc.
# The enum value is reduced with the next value's doc already lexed.
enum E {
  /** Value doc and program doc. */
  A = 1
  /** Next value doc. */
  B = 2
}
