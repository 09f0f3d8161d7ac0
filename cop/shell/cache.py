"""Read caches keyed by ``data_version`` or by the records' version.

Every write transaction bumps ``data_version`` (cop.core.db.write_session), so a
read cached under the version current at the start of this run is exactly as
fresh as reading again; the gate asks for the version once at the start of each run, and
again after any write this process committed since (this page's own, for one).

A write to the journals alone (an action's update, the audit log, the search index) leaves
the records' version where it was. A read that shows none of them (``journal=False``) is
kept by that version: when many people work at once, someone posts an update every few
seconds, and each one made everybody's next click read everything again. Such a read runs
in a session that refuses to read a journal (cop.core.db.journal_free_read), so a read
that began to show one fails loudly instead of going stale.

Where a read is kept:

- ``journal=True`` reads live in the user's own ``st.session_state``: ``data_version``
  moves with every posted update, so they would seldom serve another tab anyway. They are
  dropped at sign-out.
- ``journal=False`` reads live in one store for the whole server process, keyed by the
  database, the records' version and the read's every argument, the reader included.
  A read's answer depends on nothing else, so a key names exactly one answer: another
  person's read has another key and is never handed over. What this buys is the new tab:
  each visit that starts a session (a link opened, a reload, coming back after lunch) used
  to read who one is, the sidebar, the home figures and the draft again, and under load
  those first visits were most of the server's work. The store keeps the most recently
  used ``SHARED_ENTRIES`` answers; entries of an older version are never asked for again
  and age out.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import streamlit as st

from cop.core.db import (
    current_versions,
    get_engine,
    journal_free_read,
    read_session,
    writes_committed,
)

T = TypeVar("T")
MAX_ENTRIES = 64  # per session, for reads that show a journal
SHARED_ENTRIES = 4096  # for the whole process, for reads kept by the records' version

_shared: OrderedDict[Hashable, Any] = OrderedDict()
_shared_lock = threading.Lock()


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
    kept_as: Hashable | None = None,
    **kwargs: Any,
) -> T:
    """``service(session, *args, **kwargs)``, reused while nothing was written anywhere, or with
    ``journal=False`` while no record changed (the read may then not read a journal).

    The key is derived from the service and its arguments (``read_key``), so a
    read can never be answered with another read's result.

    ``kept_as`` (with ``journal=False``) keys the answer by that instead of the arguments,
    for a read whose answer is the same for every reader it lets through: the key must
    name all it depends on for them, and come from a read that checked this reader's
    right (as cop.toolkit.sections.draft_audience), since a kept answer skips the service.
    """
    if not journal:
        arguments = ((kept_as,), {}) if kept_as is not None else (args, kwargs)
        return kept_for_everyone(
            read_key(service, *arguments, varies_with),
            lambda session: service(session, *args, **kwargs),
        )
    key = (journal, read_key(service, args, kwargs, varies_with))
    version = data_version()
    store: dict[Hashable, tuple[int, Any]] = st.session_state.setdefault("cop_read_cache", {})
    hit = store.get(key)
    if hit and hit[0] == version:
        return hit[1]
    with read_session() as session:
        value = service(session, *args, **kwargs)
    if len(store) >= MAX_ENTRIES:
        store.clear()
    store[key] = (version, value)
    return value


def kept_for_everyone(key: Hashable, compute: Callable[[Any], T]) -> T:
    """``compute(session)`` in a journal-free session, or its answer kept for ``key`` while no
    record changed, in the process-wide store (see the module's docstring).

    ``key`` must name everything the answer depends on but the database's records: the
    reader, the record and the language. The engine object is part of the stored key, so a
    database opened anew (a test's, a restored file) never meets an older one's answers.
    Two runs missing at once both read; the second answer replaces the first, same as it.
    """
    full = (get_engine(), records_version(), key)
    with _shared_lock:
        if full in _shared:
            _shared.move_to_end(full)
            return _shared[full]  # type: ignore[no-any-return]
    with journal_free_read() as session:
        value = compute(session)
    with _shared_lock:
        _shared[full] = value
        while len(_shared) > SHARED_ENTRIES:
            _shared.popitem(last=False)
    return value


def forget_kept() -> None:
    """Empty the process-wide store (a benchmark's cold run; tests that start over)."""
    with _shared_lock:
        _shared.clear()
