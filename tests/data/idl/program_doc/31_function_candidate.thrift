# expect program doc: Function doc and program doc.
# The function is reduced with the next function's doc already lexed.
exception Oops {}
service S {
  /** Function doc and program doc. */
  void ping()
  /** Next function doc. */
  i32 add(1: i32 a, 2: i32 b) throws (1: Oops e);
}
