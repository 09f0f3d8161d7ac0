"""Admin console tab for backups: the whole workspace as one archive to download.

The archive is made by the same service as ``cop backup`` (it authorizes
``backup.create`` and audits who made it), written to a temporary file that
is gone once its bytes are offered. The download button lives only in the
run that made the archive, so its bytes are not kept in the session.
"""

from __future__ import annotations

import tempfile
from datetime import UTC
from pathlib import Path

import streamlit as st

from cop.backup import archive as portability
from cop.core import clock
from cop.core.db import get_engine
from cop.core.errors import CopError
from cop.core.i18n import translator
from cop.core.permissions import Actor
from cop.shell.forms import error_text
from cop.shell.text import plain


def backup_file_name() -> str:
    """Named after the moment it was made, in UTC, so downloaded archives sort by when they were made."""
    return f"cop-workspace-backup-{clock.now().astimezone(UTC):%Y%m%dT%H%M%SZ}.zip"


def _size(size: int) -> str:
    return f"{size / 1024:,.0f} KB" if size < 1_048_576 else f"{size / 1_048_576:,.1f} MB"


def _make_backup(actor: Actor) -> tuple[str, bytes, dict[str, int]] | None:
    """The archive's name, bytes and rows per table; None (with the reason shown) when refused."""
    _ = translator(actor.language)
    name = backup_file_name()
    try:
        with tempfile.TemporaryDirectory(prefix="cop-backup-") as folder:
            path = Path(folder) / name
            counts = portability.backup(get_engine(), path, actor=actor)
            return name, path.read_bytes(), counts
    except CopError as exc:
        st.error(plain(error_text(exc, actor.language)), icon=":material/block:")
        return None


def backups_tab(actor: Actor) -> None:
    _ = translator(actor.language)
    st.markdown(
        _(
            "A backup is one ZIP archive of the whole workspace, as it was at one moment (people can keep "
            "working meanwhile): every community, person and account, workshops with their attachments, "
            "actions, practices, standards and scores, the toolkit with its revisions, notifications and the "
            "audit log. The search index is left out; it is rebuilt when the archive is restored."
        )
    )
    st.warning(
        _(
            "The archive holds everyone's personal data and the accounts' password hashes: keep it as safely "
            "as the database itself. Making one is recorded in the audit log."
        ),
        icon=":material/lock:",
    )
    st.markdown(
        _(
            "To bring it back, run `cop restore FILE` on the server: it loads the archive into an empty SQLite "
            "or PostgreSQL database (migrated as needed), so the same file also moves a workspace from SQLite "
            "to PostgreSQL. The target is the database of `COP_DATABASE_URL`, or the one given with "
            "`--database`; `--replace` deletes everything in it first."
        )
    )
    # Plain, not highlighted: the highlighter's colours fail the contrast check (issue 23).
    st.code(
        "cop --database postgresql+psycopg://user@host/cop restore cop-workspace-backup-….zip",
        language=None,
    )
    st.markdown(
        _(
            "On the server, `cop backup FILE` writes the same archive straight to a file; for a large "
            "workspace (many attachments) that is better than a download, which passes through the app's memory."
        )
    )
    if not st.button(_("Make a backup now"), key="adm_backup_make", type="primary"):
        return
    with st.spinner(_("Writing the archive…")):
        made = _make_backup(actor)
    if made is None:
        return
    name, data, counts = made
    st.success(
        _("{name} is ready: {rows} rows in {tables} tables ({size}).").format(
            name=name, rows=f"{sum(counts.values()):,}", tables=len(counts), size=_size(len(data))
        )
    )
    st.download_button(
        _("Download the backup"),
        data=data,
        file_name=name,
        mime="application/zip",
        key="adm_backup_download",
        on_click="ignore",
        icon=":material/download:",
    )
