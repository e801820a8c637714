# expect program doc: none
# `;` ends the function: reduced without lookahead, the candidate is dropped.
service S {
  /** Function doc. */
  void ping();
  /** Next function doc. */
  void pong();
}
