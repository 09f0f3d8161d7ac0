"""The admin console's Backups tab, driven through AppTest: a real archive, downloaded, audited."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator

import pytest
from sqlmodel import select
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from cop.accounts import service as accounts
from cop.backup import archive as portability
from cop.core import db
from cop.core.audit import AuditEvent
from cop.core.db import read_session
from tests.page_fixtures import texts


@pytest.fixture
def served_files(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, bytes]]:
    """The bytes Streamlit stores for each download, by file id (AppTest drops its media store after a run)."""
    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(
        self: MemoryMediaFileStorage,
        path_or_data: str | bytes,
        mimetype: str,
        kind: object,
        filename: str | None = None,
    ) -> str:
        file_id = original(self, path_or_data, mimetype, kind, filename)  # type: ignore[arg-type]
        if isinstance(path_or_data, bytes):
            files[file_id] = path_or_data
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    yield files


def test_admin_downloads_a_backup_that_restores_and_is_audited(
    run_page, demo_db, served_files, tmp_path
) -> None:
    at = run_page("admin", "admin", tab="Backups")
    assert not at.exception, at.exception
    assert "cop restore FILE" in texts(at) and not at.get("download_button")
    next(b for b in at.button if b.key == "adm_backup_make").click().run()
    assert not at.exception, at.exception

    (download,) = at.get("download_button")
    assert download.proto.label == "Download the backup"
    file_id = download.proto.url.rsplit("/", 1)[-1].split(".", 1)[0]
    archive = served_files[file_id]
    assert archive
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert zf.testzip() is None
    rows = {t["name"]: t["rows"] for t in manifest["tables"]}
    assert rows["community"] > 0 and rows["user"] > 0 and rows["workshop"] > 0
    ready = next(s.value for s in at.success)
    name = re.search(r"cop-workspace-backup-\d{8}T\d{6}Z\.zip", ready)
    assert name is not None, ready

    (tmp_path / name.group()).write_bytes(archive)
    url = f"sqlite:///{tmp_path / 'restored.db'}"
    try:
        restored = portability.restore(db.get_engine(url), tmp_path / name.group())
    finally:
        db._engines.pop(url).dispose()
    assert (
        restored["community"] == rows["community"] and restored["attachment"] == rows["attachment"]
    )
    with read_session() as s:
        admin = accounts.find_user(s, "admin")
        events = list(s.exec(select(AuditEvent).where(AuditEvent.action == "backup.create")))
    assert admin is not None and len(events) == 1
    assert events[0].actor_user_id == admin.id and events[0].changes["archive"] == name.group()


def test_a_facilitator_does_not_see_the_admin_page_or_its_backups(run_page, demo_db) -> None:
    at = run_page("admin", "facilitator")
    assert not at.exception, at.exception
    assert "for workspace administrators" in texts(at)
    assert not any(b.key == "adm_backup_make" for b in at.button) and not at.get("download_button")
    assert not at.tabs
    with read_session() as s:
        assert not list(s.exec(select(AuditEvent).where(AuditEvent.action == "backup.create")))
