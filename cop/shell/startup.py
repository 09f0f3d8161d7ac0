"""Once per server process: bring the schema up to date, load the demo on first start, and
start the outbox's sender thread when a mail server is configured (``COP_SMTP_URL``)."""

from __future__ import annotations

import threading

import sqlalchemy as sa
import streamlit as st

import cop.registry  # noqa: F401  (every table, and the search index kept in step)
from cop.backup.demo import load_demo_if_empty
from cop.core import mailer, settings
from cop.core.errors import DatabaseUnavailable
from cop.core.i18n import N_
from cop.core.schema import SchemaBehind, ensure_schema
from cop.outbox import sender

_prepared: set[str] = set()
_lock = threading.Lock()


def _prepare(database_url: str) -> None:
    """Once per database URL and process; holds no per-user data.

    A set and a lock rather than st.cache_resource: this runs at the start of
    every page run, and hashing the argument for the cache cost more than the check.
    """
    if database_url in _prepared:
        return
    with _lock:
        if database_url in _prepared:
            return
        ensure_schema()
        if settings.demo_enabled():
            load_demo_if_empty()
        if mailer.is_configured():
            # A daemon thread: page runs only write rows, this sends them (every replica
            # runs one; their claims keep them from sending a row twice).
            sender.start_background_sender(database_url)
        _prepared.add(database_url)


def prepare_database() -> None:
    """What the first page run does to the configured database, for routes that come first."""
    _prepare(settings.database_url())


def prepare_workspace() -> None:
    """Stop with a clear message when the database is behind (PostgreSQL) or unreachable."""
    try:
        _prepare(settings.database_url())
    except SchemaBehind as exc:
        st.error(str(exc), icon=":material/database:")
        st.stop()
    except (DatabaseUnavailable, OSError, sa.exc.OperationalError):
        raise DatabaseUnavailable(
            N_("The database is unavailable right now; please try again shortly.")
        ) from None
