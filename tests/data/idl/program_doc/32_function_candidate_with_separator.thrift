# expect program doc: none
# A field of an exception takes the candidate and ends in `,`.
exception Oops {
  /** Exception field doc. */
  1: string why,
}
service S {
  i32 add(1: i32 a, 2: i32 b) throws (1: Oops e),
}
