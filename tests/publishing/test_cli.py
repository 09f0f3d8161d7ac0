"""``cop publish`` from the shell: the same publication as the Toolkit page, written to disk."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from cop.cli import main
from cop.core.db import read_session, write_session
from cop.core.permissions import SYSTEM
from cop.publishing import service as publishing
from cop.toolkit import service as toolkit


def test_cop_publish_puts_the_site_online_and_writes_a_zip_and_a_folder(
    demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The demo put version 2 online (its English edition, again once the German one was).
    assert main(["publish", "--toolkit", "1", "--out", str(tmp_path / "site.zip")]) == 0
    assert "Published version 3 of toolkit 1" in capsys.readouterr().out
    with zipfile.ZipFile(tmp_path / "site.zip") as archive:
        assert "index.html" in archive.namelist()
    assert main(["publish", "--toolkit", "1", "--out", str(tmp_path / "folder")]) == 0
    assert (tmp_path / "folder" / "search" / "search_index.js").is_file()
    with read_session() as s:
        online = publishing.latest_publication(s, 1)
    assert online is not None and online.number == 4


def test_cop_publish_refuses_an_edition_with_no_approved_chapter_and_writes_nothing(
    demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with write_session() as s:
        empty = toolkit.create_toolkit(s, SYSTEM, title="Next edition", year=2031)
    out = tmp_path / "site.zip"
    assert main(["publish", "--toolkit", str(empty.id), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "Next edition has no approved chapter yet" in err
    assert not out.exists()


def test_cop_publish_will_not_overwrite_without_force(demo_db: str, tmp_path: Path) -> None:
    out = tmp_path / "site.zip"
    out.write_bytes(b"keep me")
    assert main(["publish", "--toolkit", "1", "--out", str(out)]) == 1
    assert out.read_bytes() == b"keep me"
