# expect program doc: Only doc, after the last definition.
# A doc comment after the last definition, with none before.
struct A {}
enum E { X }
/** Only doc, after the last definition. */
