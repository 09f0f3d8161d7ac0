"""Per-session read caches keyed by ``data_version``.

Every write transaction bumps ``data_version`` (cop.core.db.write_session), so a
read cached under the version current at the start of this run is exactly as
fresh as reading again; the gate asks for the version once at the start of each run, and
again after any write this process committed since (this page's own, for one). The caches live
in the user's own ``st.session_state`` (never in st.cache_*, which every user
shares), hold only what this user was allowed to read, and are dropped at
sign-out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from cop.core.db import current_data_version, read_session, writes_committed

T = TypeVar("T")
MAX_ENTRIES = 64


def refresh_data_version() -> int:
    """Read the version at the start of a run (the gate does this, before anything else)."""
    writes = writes_committed()
    version = current_data_version()
    st.session_state["cop_data_version"] = (version, writes)
    return version


def data_version() -> int:
    """The version read at the start of this run, or again after a write in this process since."""
    known = st.session_state.get("cop_data_version")
    if known is None or known[1] != writes_committed():
        return refresh_data_version()
    return int(known[0])


def cached_read(key: tuple, service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``service(session, *args, **kwargs)``, reused while nothing was written anywhere."""
    version = data_version()
    store: dict[tuple, tuple[int, Any]] = st.session_state.setdefault("cop_read_cache", {})
    hit = store.get(key)
    if hit and hit[0] == version:
        return hit[1]
    with read_session() as session:
        value = service(session, *args, **kwargs)
    if len(store) >= MAX_ENTRIES:
        store.clear()
    store[key] = (version, value)
    return value
