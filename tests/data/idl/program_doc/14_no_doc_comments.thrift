# expect program doc: none
# Plain comments and the "silly" /**/ and /***/ are not doc comments.
/* not a doc comment */
// nor this
/**/
/***/
namespace cpp test.doc
struct A {}
