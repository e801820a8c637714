# expect program doc: Program doc and struct doc.
# Lexed inside the header before it is reduced: candidate, then confirmed; not cleared
# (that happens only before a header), so the first definition takes it too.
namespace /** Program doc and struct doc. */ cpp test.doc
struct A {}
