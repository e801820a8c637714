# expect program doc: Service doc and program doc.
# The service is reduced after its function and argument docs were lexed.
service Base {}
/** Service doc and program doc. */
service S extends Base {
  /** Function doc. */
  oneway void fire(/** Argument doc. */ 1: i32 a)
}
