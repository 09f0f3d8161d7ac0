"""Photos, slides and documents of a workshop, stored in the database.

The type is decided by the file's content against an allow-list, never by its
name or the browser's claim: a PNG renamed ``.pdf`` is stored as a PNG, and an
executable or an HTML page is refused whatever it is called. The stored name is
chosen by the server (a slug of the original name plus the detected extension)
so no user-supplied path or extension reaches a download. A photo that shows
people needs the uploader's confirmation that they agreed to it being shared.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from cop.core import records
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import Actor
from cop.core.settings import LIMITS
from cop.core.validation import Checker
from cop.workshops.models import Attachment
from cop.workshops.service import editable_workshop, workshop_in_scope

ALLOWED = N_(
    "images (PNG, JPEG, GIF, WebP), PDF, Word, Excel and PowerPoint, OpenDocument text, "
    "spreadsheet and presentation, plain text, Markdown and CSV"
)
_OOXML = {
    "wordprocessingml.document.main+xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
    "spreadsheetml.sheet.main+xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
    ),
    "presentationml.presentation.main+xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".pptx",
    ),
}
_ODF = {
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.presentation": ".odp",
}
_TEXT = {
    ".md": ("text/markdown", ".md"),
    ".markdown": ("text/markdown", ".md"),
    ".csv": ("text/csv", ".csv"),
}
_MARKUP = re.compile(
    rb"<\s*(!doctype|html|script|iframe|svg|object|embed|body|head|meta)\b", re.IGNORECASE
)
_ZIP_MEMBER_LIMIT = 1_000_000  # bytes read from a zip's type declaration, against zip bombs
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


@dataclass(frozen=True, slots=True)
class AttachmentEntry:
    """An attachment as the workshop page lists it, without its bytes: a misspelt field is a type error."""

    id: int
    version: int
    filename: str
    content_type: str
    size: int
    caption: str
    shows_people: bool
    consent_confirmed: bool
    created_at: datetime
    is_image: bool


def _office_type(content: bytes) -> tuple[str, str] | None:
    """DOCX/XLSX/PPTX by their declared main part, ODT/ODS/ODP by their ``mimetype`` entry."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
        if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
            declared = archive.read("mimetype").decode("ascii", "replace").strip()
            return (declared, _ODF[declared]) if declared in _ODF else None
        if (
            "[Content_Types].xml" in names
            and archive.getinfo("[Content_Types].xml").file_size < _ZIP_MEMBER_LIMIT
        ):
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
            if "macroEnabled" in types:
                return None
            for marker, found in _OOXML.items():
                if marker in types:
                    return found
    except (zipfile.BadZipFile, KeyError, RuntimeError, NotImplementedError, OSError, EOFError):
        return None
    return None


def _text_type(content: bytes, original_name: str) -> tuple[str, str] | None:
    """Plain text, Markdown or CSV: valid UTF-8 without NUL bytes and without HTML markup."""
    if b"\x00" in content or _MARKUP.search(content):
        return None
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return _TEXT.get(PurePosixPath(original_name.lower()).suffix, ("text/plain", ".txt"))


def detect_type(content: bytes, original_name: str = "") -> tuple[str, str] | None:
    """The content type and extension the bytes really are, or None when not allowed."""
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", ".png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", ".jpg"
    if content.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif", ".gif"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp", ".webp"
    if content.startswith(b"%PDF-"):
        return "application/pdf", ".pdf"
    if content.startswith(b"PK\x03\x04"):
        return _office_type(content)
    return _text_type(content, original_name)


def stored_filename(original_name: str, extension: str) -> str:
    """A slug of the original name (without its claimed extension) plus the detected extension."""
    base = re.split(r"[\\/]", original_name or "")[-1]
    stem = PurePosixPath(base).stem if "." in base.lstrip(".") else base.lstrip(".")
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_stem.lower()).strip("-")[:80].strip("-")
    return (slug or "attachment") + extension


def _check_details(
    chk: Checker, caption: Any, shows_people: bool, consent_confirmed: bool
) -> dict[str, Any]:
    if shows_people and not consent_confirmed:
        chk.fail(
            "consent_confirmed",
            N_("Confirm that the people shown agreed to the photo being shared."),
        )
    return {
        "caption": chk.optional_line("caption", caption, label=N_("The caption"), max_len=500),
        "shows_people": bool(shows_people),
        "consent_confirmed": bool(consent_confirmed),
    }


def add_attachment(
    session: Session,
    actor: Actor,
    workshop_id: int,
    *,
    filename: str,
    content: bytes,
    caption: str = "",
    shows_people: bool = False,
    consent_confirmed: bool = False,
) -> Attachment:
    """Store an upload whose content is of an allowed type and at most 10 MB."""
    workshop, community = editable_workshop(session, actor, workshop_id, "workshop.attach")
    chk = Checker()
    values = _check_details(chk, caption, shows_people, consent_confirmed)
    original_name = (chk.text("filename", filename, label=N_("The file name")) or "")[-255:]
    if "\x00" in original_name or any("\ud800" <= ch <= "\udfff" for ch in original_name):
        chk.fail(
            "filename",
            N_(
                "The file name holds characters that cannot be stored (NUL or undecodable bytes); "
                "rename the file and upload it again."
            ),
        )
    size = len(content)
    detected = None
    if size == 0:
        chk.fail("file", N_("The file is empty."))
    elif size > LIMITS.attachment_bytes:
        chk.fail(
            "file",
            Message(
                N_("The file is {size:.1f} MB; at most {maximum} MB are allowed."),
                size=size / 1_048_576,
                maximum=LIMITS.attachment_bytes // 1_048_576,
            ),
        )
    else:
        detected = detect_type(content, filename or "")
        if detected is None:
            chk.fail(
                "file",
                Message(
                    N_("This type of file is not allowed. Allowed are {allowed}."),
                    allowed=Message(ALLOWED),
                ),
            )
    chk.raise_if_any()
    assert detected is not None  # every other outcome failed the check above
    assert workshop.id is not None  # editable_workshop read it from the database
    content_type, extension = detected
    attachment = Attachment(
        workshop_id=workshop.id,
        filename=stored_filename(filename, extension),
        original_name=original_name,
        content_type=content_type,
        size=size,
        content=content,
        **values,
    )
    return records.create(
        session, actor, attachment, community_id=community.id, action="attachment.create"
    )


def update_attachment(
    session: Session,
    actor: Actor,
    attachment_id: int,
    version: int,
    *,
    caption: str,
    shows_people: bool,
    consent_confirmed: bool,
) -> Attachment:
    attachment = records.get_live(
        session, Attachment, attachment_id, for_update=True, label=N_("attachment")
    )
    _, community = editable_workshop(session, actor, attachment.workshop_id, "workshop.attach")
    chk = Checker()
    values = _check_details(chk, caption, shows_people, consent_confirmed)
    chk.raise_if_any()
    records.save(
        session,
        actor,
        attachment,
        version,
        values,
        action="attachment.update",
        community_id=community.id,
    )
    return attachment


def remove_attachment(session: Session, actor: Actor, attachment_id: int) -> None:
    attachment = records.get_live(
        session, Attachment, attachment_id, for_update=True, label=N_("attachment")
    )
    _, community = editable_workshop(session, actor, attachment.workshop_id, "workshop.attach")
    records.soft_delete(
        session, actor, attachment, action="attachment.delete", community_id=community.id
    )


def attachment_list(session: Session, workshop_id: int) -> list[AttachmentEntry]:
    """The workshop's attachments without their bytes (read access checked by the caller)."""
    rows = session.execute(
        sa.select(
            col(Attachment.id),
            col(Attachment.version),
            col(Attachment.filename),
            col(Attachment.content_type),
            col(Attachment.size),
            col(Attachment.caption),
            col(Attachment.shows_people),
            col(Attachment.consent_confirmed),
            col(Attachment.created_at),
        )
        .where(col(Attachment.workshop_id) == workshop_id, col(Attachment.deleted_at).is_(None))
        .order_by(col(Attachment.id))
    )
    return [
        AttachmentEntry(**row._asdict(), is_image=row.content_type in IMAGE_TYPES) for row in rows
    ]


def attachment_download(
    session: Session, actor: Actor, attachment_id: int
) -> tuple[str, str, bytes]:
    """``(filename, content_type, bytes)`` of an attachment the actor may read."""
    attachment = records.get_live(session, Attachment, attachment_id, label=N_("attachment"))
    workshop_in_scope(session, actor, attachment.workshop_id, "community.read")
    return attachment.filename, attachment.content_type, attachment.content
