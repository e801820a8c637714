# expect program doc: none
# The annotations' ')' ends the service: reduced without lookahead.
/** Service doc. */
service S {
  void ping()
} (x = "y")
/** Union doc. */
union U {}
