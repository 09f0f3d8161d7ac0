"""At most two exports at once per server process; the others wait their turn.

A whole-toolkit PDF takes seconds of CPU. Without a limit a few people
exporting at once would starve every other session of the server, so
exports take a slot from one process-wide semaphore. A caller that has to
wait is told so first (``on_wait``), which the page shows as "waiting for a
free export slot"; a wait that runs out raises ``ExportBusy``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from cop.core.errors import CopError
from cop.core.i18n import N_
from cop.core.settings import LIMITS

WAIT_SECONDS = 300.0
WAITING_MESSAGE = "Waiting for a free export slot: {limit} exports are being built right now."

_slots = threading.BoundedSemaphore(LIMITS.exports_at_once)


class ExportBusy(CopError):
    """No export slot became free in time."""


@contextmanager
def export_slot(
    on_wait: Callable[[str], None] | None = None, timeout: float = WAIT_SECONDS
) -> Iterator[None]:
    """Hold one of the process's export slots for the duration of the block."""
    if not _slots.acquire(blocking=False):
        if on_wait is not None:
            on_wait(WAITING_MESSAGE.format(limit=LIMITS.exports_at_once))
        if not _slots.acquire(timeout=timeout):
            raise ExportBusy(
                N_("Every export slot stayed busy; please try the export again in a minute.")
            )
    try:
        yield
    finally:
        _slots.release()
