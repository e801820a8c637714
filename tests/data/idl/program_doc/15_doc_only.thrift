# expect program doc: A file with nothing but a doc comment.
# No headers, no definitions: the candidate is never taken.
/** A file with nothing but a doc comment. */
