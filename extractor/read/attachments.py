"""The XML files a PDF carries as attachments (PDF/A-3 embedded files), read under a size cap.

What they mean is for later stages (an embedded e-invoice, say); here they are only bytes.
An attachment over the cap keeps its size and no content; one that cannot be read keeps why.
"""

import base64
import logging
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError

MAX_ATTACHMENT_BYTES = 10_000_000
_READ_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, AttributeError)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    """One embedded `*.xml` file, in the order the PDF lists them. `content` is empty when
    the file declares (`declared_size`) or has (`size`) more than the cap, or when reading it
    failed (`unreadable`: the error's class name)."""

    name: str
    content: bytes = b""
    size: int | None = None
    declared_size: int | None = None
    unreadable: str | None = None

    def to_json(self) -> list[Any]:
        content = base64.b64encode(self.content).decode("ascii")
        return [self.name, content, self.size, self.declared_size, self.unreadable]

    @classmethod
    def from_json(cls, data: list[Any]) -> "Attachment":
        name, content, size, declared, unreadable = data
        return cls(str(name), base64.b64decode(content), size, declared, unreadable)


@dataclass(frozen=True)
class Attachments:
    """The XML attachments, or why the PDF's list of attachments could not be read."""

    files: tuple[Attachment, ...] = ()
    unreadable: str | None = None  # the error's class name

    def to_json(self) -> dict[str, Any]:
        return {"files": [file.to_json() for file in self.files], "unreadable": self.unreadable}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Attachments":
        files = tuple(Attachment.from_json(file) for file in data["files"])
        return cls(files, data["unreadable"])


def xml_attachments(reader: PdfReader, *, max_bytes: int = MAX_ATTACHMENT_BYTES) -> Attachments:
    """Every attachment whose name ends in `.xml`, its content read when within `max_bytes`."""
    try:
        files = [file for file in reader.attachment_list if file.name.casefold().endswith(".xml")]
    except _READ_ERRORS as error:
        logger.debug("attachments unreadable: %s", type(error).__name__)
        return Attachments(unreadable=type(error).__name__)
    found = []
    for file in files:
        try:
            declared = file.size
            if declared is not None and declared > max_bytes:
                found.append(Attachment(file.name, declared_size=declared))
                continue
            content = file.content
        except _READ_ERRORS as error:
            logger.debug("attachment unreadable: %s", type(error).__name__)
            found.append(Attachment(file.name, unreadable=type(error).__name__))
            continue
        if len(content) > max_bytes:
            found.append(Attachment(file.name, size=len(content), declared_size=declared))
        else:
            found.append(Attachment(file.name, content, len(content), declared))
    return Attachments(tuple(found))
