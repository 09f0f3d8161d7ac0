"""A page run's messages reach the server's event loop in batches, not one wake-up each.

Streamlit runs each page script in a thread of its own, and every element the script draws is
handed to the server's event loop with ``loop.call_soon_threadsafe`` (``AppSession.
_call_soon_on_event_loop``). Each such call writes a byte to the loop's wake-up socket: a
system call that lets go of the interpreter's lock, which the script thread must then win
back from the event loop and every other session's script. A Toolkit run draws about a
hundred elements, so under load a run queued for the lock a hundred times; in the capacity
benchmark's profile these wake-ups were the largest single cost (issue 24).

``hand_over_in_batches`` gives each session one queue. A script thread appends to it and wakes
the loop only when the queue was empty; the loop takes everything waiting in one turn, in
order. A message is never held back: the first one of a batch wakes the loop at once, and the
loop's turn takes whatever came while it was busy. serve.py turns it on; AppTest, which has no
event loop of its own, never reaches this code.
"""

from __future__ import annotations

import logging
import threading
from asyncio import AbstractEventLoop
from collections import deque
from collections.abc import Callable

from streamlit.runtime.app_session import AppSession

_LOGGER = logging.getLogger(__name__)
_STOCK = AppSession._call_soon_on_event_loop


class Handover:
    """One session's callbacks for its event loop, run in the order they were handed over."""

    def __init__(self, loop: AbstractEventLoop) -> None:
        self.loop = loop
        self._lock = threading.Lock()
        self._waiting: deque[Callable[[], None]] = deque()
        self._scheduled = False

    def put(self, callback: Callable[[], None]) -> None:
        """From any thread: ``callback`` runs on the loop after everything handed over before it."""
        with self._lock:
            self._waiting.append(callback)
            if self._scheduled:
                return  # the loop's turn is already coming and will take this one too
            self._scheduled = True
        try:
            self.loop.call_soon_threadsafe(self._run_waiting)
        except RuntimeError:
            with self._lock:
                self._scheduled = False
                self._waiting.clear()
            if not self.loop.is_closed():
                raise
            # As Streamlit's own: events after the loop closed (shutdown) are dropped.
            _LOGGER.debug("Dropped event-loop callback", exc_info=True)

    def _run_waiting(self) -> None:
        """On the loop: one turn runs what is waiting now; what comes meanwhile gets the next
        turn, so a long run never keeps the loop from the other sessions."""
        with self._lock:
            batch = list(self._waiting)
            self._waiting.clear()
        for callback in batch:
            try:
                callback()
            except Exception as error:  # as asyncio reports a failed callback, and goes on
                self.loop.call_exception_handler(
                    {"message": "Exception in a handed-over callback", "exception": error}
                )
        with self._lock:
            if self._waiting:
                self.loop.call_soon(self._run_waiting)
            else:
                self._scheduled = False


def _handover(session: AppSession) -> Handover:
    found: Handover | None = session.__dict__.get("_cop_handover")
    if found is None or found.loop is not session._event_loop:
        # Two script threads of one session never run at once, but be safe: setdefault is atomic.
        fresh = Handover(session._event_loop)
        found = session.__dict__.setdefault("_cop_handover", fresh)
        if found.loop is not session._event_loop:
            session.__dict__["_cop_handover"] = found = fresh
    return found


def _call_soon_in_batches(self: AppSession, callback: Callable[[], None]) -> None:
    _handover(self).put(callback)


def hand_over_in_batches() -> None:
    """Every session of this process hands its script's messages over in batches from now on."""
    AppSession._call_soon_on_event_loop = _call_soon_in_batches  # type: ignore[method-assign]


def hand_over_one_by_one() -> None:
    """Streamlit's own way again (for tests)."""
    AppSession._call_soon_on_event_loop = _STOCK  # type: ignore[method-assign]
