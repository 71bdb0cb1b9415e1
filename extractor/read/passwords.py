"""Passwords for encrypted PDFs, from the settings: file-name glob -> password.

    [passwords]                                # extractor.toml
    "acme-*.pdf" = "..."                       # a glob without "/" matches the file name
    "scans/2024/*.pdf" = "..."                 # with "/", the end of the path

The first matching pattern wins. A file without a match is opened with the empty password
only. Passwords are `SecretStr` in the settings, so they are never printed with them, and
nothing here logs them.
"""

from fnmatch import fnmatchcase
from pathlib import PurePath

from extractor.settings import ExtractorSettings


def password_for(path: str | PurePath, settings: ExtractorSettings) -> str | None:
    """The configured password for this file, or None."""
    candidate = PurePath(path)
    for pattern, secret in settings.passwords.items():
        matched = (
            candidate.match(pattern) if "/" in pattern else fnmatchcase(candidate.name, pattern)
        )
        if matched:
            return secret.get_secret_value()
    return None
