"""A page run's messages reach the event loop in batches (issue 24: each of a run's hundred
elements woke the server's event loop on its own, the largest single cost under load)."""

from __future__ import annotations

import asyncio
import importlib
import threading
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from streamlit.runtime.app_session import AppSession

from cop.shell import handover


@pytest.fixture
def stock_streamlit() -> Iterator[None]:
    """Streamlit's own hand-over before and after each test: the change is per process."""
    handover.hand_over_one_by_one()
    yield
    handover.hand_over_one_by_one()


class RunningLoop:
    """A real event loop in a thread of its own, as the server's; counts its thread-safe calls."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.wakeups = 0
        self.errors: list[dict[str, Any]] = []
        stock = self.loop.call_soon_threadsafe

        def counted(callback: Callable[..., object], *args: object, **kwargs: Any) -> Any:
            self.wakeups += 1
            return stock(callback, *args, **kwargs)

        self.loop.call_soon_threadsafe = counted  # type: ignore[method-assign]
        self.loop.set_exception_handler(lambda _loop, context: self.errors.append(context))
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def hold(self) -> threading.Event:
        """Keep the loop busy until the returned event is set (a long turn on the loop)."""
        release, busy = threading.Event(), threading.Event()

        def wait() -> None:
            busy.set()
            release.wait(10)

        self.loop.call_soon_threadsafe(wait)
        assert busy.wait(10)
        self.wakeups = 0
        return release

    def settle(self) -> None:
        done = threading.Event()
        for _ in range(3):  # past any turn the hand-over scheduled for itself
            done.clear()
            self.loop.call_soon_threadsafe(done.set)
            assert done.wait(10)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture
def running() -> Iterator[RunningLoop]:
    loop = RunningLoop()
    yield loop
    if not loop.loop.is_closed():
        loop.close()


def _session(loop: RunningLoop) -> Any:
    """What the hand-over uses of an AppSession: its event loop (and room for its queue)."""
    return SimpleNamespace(_event_loop=loop.loop)


def _hand_over(session: Any, callback: Callable[[], None]) -> None:
    AppSession._call_soon_on_event_loop(session, callback)


def _from_a_script_thread(action: Callable[[], None]) -> None:
    script = threading.Thread(target=action)
    script.start()
    script.join(10)


def test_a_burst_of_messages_while_the_loop_is_busy_wakes_it_once(
    stock_streamlit: None, running: RunningLoop
) -> None:
    handover.hand_over_in_batches()
    session, seen = _session(running), []
    release = running.hold()
    _from_a_script_thread(
        lambda: [_hand_over(session, lambda i=i: seen.append(i)) for i in range(100)]
    )
    assert running.wakeups == 1
    release.set()
    running.settle()
    assert seen == list(range(100))


def test_streamlits_own_hand_over_wakes_the_loop_for_every_message(
    stock_streamlit: None, running: RunningLoop
) -> None:
    """Why the change exists."""
    session = _session(running)
    release = running.hold()
    _from_a_script_thread(lambda: [_hand_over(session, lambda: None) for _ in range(100)])
    assert running.wakeups == 100
    release.set()


def test_messages_keep_their_order_across_turns_of_the_loop(
    stock_streamlit: None, running: RunningLoop
) -> None:
    handover.hand_over_in_batches()
    session, seen = _session(running), []

    def script() -> None:
        for i in range(2000):
            _hand_over(session, lambda i=i: seen.append(i))

    _from_a_script_thread(script)
    running.settle()
    assert seen == list(range(2000))


def test_a_failing_message_is_reported_and_the_rest_still_run(
    stock_streamlit: None, running: RunningLoop
) -> None:
    handover.hand_over_in_batches()
    session, seen = _session(running), []
    release = running.hold()

    def fails() -> None:
        raise ValueError("broken")

    _from_a_script_thread(
        lambda: [
            _hand_over(session, c) for c in (lambda: seen.append(1), fails, lambda: seen.append(2))
        ]
    )
    release.set()
    running.settle()
    assert seen == [1, 2]
    assert [type(e.get("exception")) for e in running.errors] == [ValueError]
    _from_a_script_thread(lambda: _hand_over(session, lambda: seen.append(3)))
    running.settle()
    assert seen == [1, 2, 3], "the queue goes on after a failure"


def test_messages_after_the_loop_closed_are_dropped(
    stock_streamlit: None, running: RunningLoop
) -> None:
    handover.hand_over_in_batches()
    session = _session(running)
    running.close()
    _hand_over(session, lambda: None)  # no error, as Streamlit's own at shutdown


def test_the_served_app_hands_over_in_batches(stock_streamlit: None) -> None:
    import asyncio.base_events

    stock_nodelay = asyncio.base_events._set_nodelay  # type: ignore[attr-defined]
    try:
        import serve

        importlib.reload(serve)
        assert AppSession._call_soon_on_event_loop is handover._call_soon_in_batches
    finally:  # serve.py also changes asyncio's rule (cop.shell.nodelay): left as it was
        asyncio.base_events._set_nodelay = stock_nodelay  # type: ignore[attr-defined]
