"""Text on its way into the database, cleaned deliberately and nothing else.

PostgreSQL refuses two things a document or a file system can produce: the NUL character
(removed) and lone surrogates, which is how Python carries file-name bytes that are not
UTF-8 (each replaced by U+FFFD). Quotes, backslashes, control characters, newlines and any
other Unicode are stored intact: every query binds them as parameters.
"""

import re

_SURROGATE = re.compile("[\ud800-\udfff]")


def db_text(value: str) -> str:
    return _SURROGATE.sub("\ufffd", value.replace("\x00", ""))


def db_text_or_none(value: str | None) -> str | None:
    return None if value is None else db_text(value)
