"""Attachments: types decided by content, a 10 MB cap, server-chosen names, consent for photos of people."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy.engine import Engine

from cop.core.db import read_session, write_session
from cop.core.errors import NotFound, PermissionDenied, ValidationError
from cop.core.settings import LIMITS
from cop.workshops import attachments
from cop.workshops.attachments import detect_type, stored_filename
from cop.workshops.models import Attachment
from tests import factories
from tests.factories import World

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 20
GIF = b"GIF89a" + b"\x00" * 20
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 8
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _ooxml(main: str) -> bytes:
    types = f'<Types><Override PartName="/x" ContentType="application/vnd.openxmlformats-officedocument.{main}"/></Types>'
    return _zip({"[Content_Types].xml": types.encode(), "x": b""})


@pytest.fixture
def w(engine: Engine) -> World:
    return factories.world(engine)


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (PNG, "photo.png", ("image/png", ".png")),
        (JPEG, "photo.jpeg", ("image/jpeg", ".jpg")),
        (GIF, "anim.gif", ("image/gif", ".gif")),
        (WEBP, "img.webp", ("image/webp", ".webp")),
        (PDF, "slides.pdf", ("application/pdf", ".pdf")),
        (
            _ooxml("wordprocessingml.document.main+xml"),
            "a.docx",
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
        ),
        (
            _ooxml("spreadsheetml.sheet.main+xml"),
            "a.xlsx",
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
        ),
        (
            _ooxml("presentationml.presentation.main+xml"),
            "a.pptx",
            ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
        ),
        (
            _zip({"mimetype": b"application/vnd.oasis.opendocument.text"}),
            "a.odt",
            ("application/vnd.oasis.opendocument.text", ".odt"),
        ),
        (
            _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
            "a.ods",
            ("application/vnd.oasis.opendocument.spreadsheet", ".ods"),
        ),
        (
            _zip({"mimetype": b"application/vnd.oasis.opendocument.presentation"}),
            "a.odp",
            ("application/vnd.oasis.opendocument.presentation", ".odp"),
        ),
        ("Notizen über Düsseldorf\n".encode(), "notes.txt", ("text/plain", ".txt")),
        (b"# Minutes\n\n- point", "minutes.md", ("text/markdown", ".md")),
        (b"city,count\nGhent,3\n", "counts.csv", ("text/csv", ".csv")),
    ],
)
def test_allowed_types_are_recognised_by_content(
    content: bytes, name: str, expected: tuple[str, str]
) -> None:
    assert detect_type(content, name) == expected


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 50, "setup.exe"),
        (b"MZ\x90\x00" + b"\x00" * 50, "report.pdf"),
        (b"<!DOCTYPE html><html><body>hi</body></html>", "page.txt"),
        (b"  <script>alert(1)</script>", "notes.md"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "logo.png"),
        (b"\xff\xfeh\x00i\x00", "utf16.txt"),
        (b"caf\xe9", "latin1.csv"),
        (_zip({"evil.sh": b"rm -rf /"}), "archive.docx"),
        (_ooxml("wordprocessingml.document.macroEnabled.main+xml"), "macro.docm"),
        (_zip({"mimetype": b"application/x-shockwave-flash"}), "a.odt"),
        (b"PK\x03\x04 not really a zip", "broken.xlsx"),
    ],
)
def test_other_content_is_not_allowed_whatever_its_name(content: bytes, name: str) -> None:
    assert detect_type(content, name) is None


@pytest.mark.parametrize(
    ("original", "extension", "stored"),
    [
        ("Foto Düsseldorf 2026.PDF", ".png", "foto-dusseldorf-2026.png"),
        ("../../etc/passwd", ".txt", "passwd.txt"),
        ("C:\\Users\\ana\\Slides final.pptx", ".pdf", "slides-final.pdf"),
        ("фото.jpg", ".jpg", "attachment.jpg"),
        (".hidden", ".txt", "hidden.txt"),
        ("x" * 300 + ".png", ".png", "x" * 80 + ".png"),
        ("", ".pdf", "attachment.pdf"),
    ],
)
def test_the_server_chooses_the_stored_name(original: str, extension: str, stored: str) -> None:
    assert stored_filename(original, extension) == stored


def test_a_png_renamed_pdf_is_stored_as_png(engine: Engine, w: World) -> None:
    made = factories.workshop(engine, w.member, w.community.id)
    with write_session(engine) as s:
        file = attachments.add_attachment(
            s, w.member, made.id, filename="Agenda.pdf", content=PNG, caption="Group photo"
        )
    with read_session(engine) as s:
        name, content_type, content = attachments.attachment_download(s, w.observer, file.id)
        listed = attachments.attachment_list(s, made.id)
    assert (name, content_type, content) == ("agenda.png", "image/png", PNG)
    assert [(a.filename, a.size, a.caption, a.is_image) for a in listed] == [
        ("agenda.png", len(PNG), "Group photo", True)
    ]
    assert not hasattr(listed[0], "content")


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"MZ\x90\x00" + b"\x00" * 50, "tool.exe", "not allowed"),
        (b"<html><script>alert(1)</script></html>", "page.html", "not allowed"),
        (b"", "empty.txt", "empty"),
    ],
)
def test_refused_uploads_get_a_message_on_the_file(
    engine: Engine, w: World, content: bytes, name: str, words: str
) -> None:
    made = factories.workshop(engine, w.member, w.community.id)
    with write_session(engine) as s, pytest.raises(ValidationError) as err:
        attachments.add_attachment(s, w.member, made.id, filename=name, content=content)
    assert words in err.value.fields["file"]


def test_ten_megabytes_are_allowed_and_one_byte_more_is_refused(engine: Engine, w: World) -> None:
    made = factories.workshop(engine, w.member, w.community.id)
    exactly = PDF + b"0" * (LIMITS.attachment_bytes - len(PDF))
    with write_session(engine) as s:
        kept = attachments.add_attachment(s, w.member, made.id, filename="big.pdf", content=exactly)
    with write_session(engine) as s, pytest.raises(ValidationError) as err:
        attachments.add_attachment(
            s, w.member, made.id, filename="bigger.pdf", content=exactly + b"0"
        )
    assert "at most 10 MB" in err.value.fields["file"]
    with read_session(engine) as s:
        assert s.query(Attachment).count() == 1
        assert attachments.attachment_download(s, w.member, kept.id)[2] == exactly


def test_a_photo_of_people_needs_confirmed_consent(engine: Engine, w: World) -> None:
    made = factories.workshop(engine, w.member, w.community.id)
    with write_session(engine) as s, pytest.raises(ValidationError) as err:
        attachments.add_attachment(
            s, w.member, made.id, filename="group.jpg", content=JPEG, shows_people=True
        )
    assert "agreed" in err.value.fields["consent_confirmed"]
    with write_session(engine) as s:
        file = attachments.add_attachment(
            s,
            w.member,
            made.id,
            filename="group.jpg",
            content=JPEG,
            shows_people=True,
            consent_confirmed=True,
        )
    with write_session(engine) as s:
        attachments.update_attachment(
            s,
            w.member,
            file.id,
            file.version,
            caption="The team",
            shows_people=True,
            consent_confirmed=True,
        )
    with read_session(engine) as s:
        listed = attachments.attachment_list(s, made.id)
    assert (listed[0].caption, listed[0].shows_people, listed[0].consent_confirmed) == (
        "The team",
        True,
        True,
    )


def test_attachment_permissions(engine: Engine) -> None:
    private = factories.world(engine, visibility="private")
    made = factories.workshop(engine, private.member, private.community.id)
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        attachments.add_attachment(s, private.observer, made.id, filename="a.png", content=PNG)
    with write_session(engine) as s:
        file = attachments.add_attachment(s, private.member, made.id, filename="a.png", content=PNG)
    with read_session(engine) as s, pytest.raises(NotFound):
        attachments.attachment_download(s, private.outsider, file.id)
    with write_session(engine) as s:
        attachments.remove_attachment(s, private.facilitator, file.id)
    with read_session(engine) as s:
        assert attachments.attachment_list(s, made.id) == []
