"""Per-session read caches keyed by ``data_version`` or by the records' version.

Every write transaction bumps ``data_version`` (cop.core.db.write_session), so a
read cached under the version current at the start of this run is exactly as
fresh as reading again; the gate asks for the version once at the start of each run, and
again after any write this process committed since (this page's own, for one). The caches live
in the user's own ``st.session_state`` (never in st.cache_*, which every user
shares), hold only what this user was allowed to read, and are dropped at
sign-out.

A write to the journals alone (an action's update, the audit log, the search index) leaves
the records' version where it was. A read that shows none of them (``journal=False``) is
kept by that version: when many people work at once, someone posts an update every few
seconds, and each one made everybody's next click read everything again. Such a read runs
in a session that refuses to read a journal (cop.core.db.journal_free_read), so a read
that began to show one fails loudly instead of going stale.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import streamlit as st

from cop.core.db import current_versions, journal_free_read, read_session, writes_committed

T = TypeVar("T")
MAX_ENTRIES = 64


def refresh_data_version() -> int:
    """Read the versions at the start of a run (the gate does this, before anything else)."""
    writes = writes_committed()
    version, records = current_versions()
    st.session_state["cop_data_version"] = (version, writes, records)
    return version


def _versions() -> tuple[int, int]:
    known = st.session_state.get("cop_data_version")
    if known is None or len(known) < 3 or known[1] != writes_committed():
        refresh_data_version()
        known = st.session_state["cop_data_version"]
    return int(known[0]), int(known[2])


def data_version() -> int:
    """The version read at the start of this run, or again after a write in this process since."""
    return _versions()[0]


def records_version() -> int:
    """As ``data_version``, but left alone by writes to the journals only (cop.core.db)."""
    return _versions()[1]


def read_key(
    service: Callable[..., Any], args: tuple, kwargs: dict[str, Any], varies_with: tuple = ()
) -> Hashable:
    """The cache key of a read: the service and every argument it gets, so none can be left out.

    ``varies_with`` names what else the result depends on (today's date for
    "overdue", the hour for "upcoming"); data_version is checked separately.
    """
    return (
        service.__module__,
        service.__qualname__,
        _frozen(args),
        _frozen(kwargs),
        _frozen(varies_with),
    )


def _frozen(value: Any) -> Hashable:
    """A hashable, comparable stand-in for an argument (dicts and lists by content, dataclasses by fields)."""
    if isinstance(value, dict):
        return ("dict", tuple(sorted((repr(k), _frozen(v)) for k, v in value.items())))
    if isinstance(value, list | tuple):
        return ("seq", tuple(_frozen(v) for v in value))
    if isinstance(value, set | frozenset):
        return ("set", tuple(sorted(repr(v) for v in value)))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return (type(value).__qualname__, tuple(_frozen(getattr(value, f.name)) for f in fields))
    hash(value)  # anything else must be hashable by itself, or the key would be wrong
    return value


def cached_read(
    service: Callable[..., T],
    *args: Any,
    varies_with: tuple = (),
    journal: bool = True,
    **kwargs: Any,
) -> T:
    """``service(session, *args, **kwargs)``, reused while nothing was written anywhere, or with
    ``journal=False`` while no record changed (the read may then not read a journal).

    The key is derived from the service and its arguments (``read_key``), so a
    read can never be answered with another read's result.
    """
    key = (journal, read_key(service, args, kwargs, varies_with))
    version = data_version() if journal else records_version()
    store: dict[Hashable, tuple[int, Any]] = st.session_state.setdefault("cop_read_cache", {})
    hit = store.get(key)
    if hit and hit[0] == version:
        return hit[1]
    with read_session() if journal else journal_free_read() as session:
        value = service(session, *args, **kwargs)
    if len(store) >= MAX_ENTRIES:
        store.clear()
    store[key] = (version, value)
    return value
