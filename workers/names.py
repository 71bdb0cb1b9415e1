"""File names the watcher creates beside a user's file, kept within the file system's limit.

A name near 255 bytes plus `.reason.txt` or a collision suffix would not fit: the user's
part is shortened (on a character boundary) so that the added suffix always does.
"""

NAME_MAX = 255  # bytes, on Linux and most file systems
REASON_SUFFIX = ".reason.txt"


def fit_name(name: str, suffix: str) -> str:
    """`name`, shortened so that `name + suffix` fits in NAME_MAX bytes."""
    budget = NAME_MAX - len(suffix.encode("utf-8", "surrogateescape"))
    encoded = name.encode("utf-8", "surrogateescape")
    if len(encoded) <= budget:
        return name
    return encoded[:budget].decode("utf-8", "ignore")
