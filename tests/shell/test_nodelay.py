"""Replies leave the server at once: a connection accepted on Streamlit's own listening socket
has Nagle's algorithm off (issue 24: every click waited up to 40 ms for the browser's
acknowledgement of the run's first message)."""

from __future__ import annotations

import asyncio
import asyncio.base_events
import socket
import threading
from collections.abc import Iterator

import pytest
from streamlit.web.server.starlette.starlette_server import _bind_socket

from cop.shell import nodelay


@pytest.fixture
def stock_asyncio() -> Iterator[None]:
    """asyncio's own rule before and after each test: the change is per process."""
    stock = asyncio.base_events._set_nodelay  # type: ignore[attr-defined]
    yield
    asyncio.base_events._set_nodelay = stock  # type: ignore[attr-defined]


def _accepted_nodelay() -> int:
    """TCP_NODELAY on the server side of one connection to a socket bound as Streamlit binds it."""

    async def serve() -> int:
        listening = _bind_socket("127.0.0.1", 0, 8)
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                accepted = transport.get_extra_info("socket")
                seen.set_result(accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

        server = await asyncio.get_running_loop().create_server(Probe, sock=listening)
        port = listening.getsockname()[1]
        _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            return await asyncio.wait_for(seen, 10)
        finally:
            writer.close()
            server.close()
            await server.wait_closed()

    # In a thread of its own: a browser test before this one in the same worker may have left
    # its event loop running in this thread (Playwright's sync API), and asyncio.run refuses then.
    found: list[int] = []
    worker = threading.Thread(target=lambda: found.append(asyncio.run(serve())))
    worker.start()
    worker.join(30)
    assert found, "the server never saw the connection"
    return found[0]


def test_streamlits_socket_keeps_nagle_on_under_asyncios_own_rule(stock_asyncio: None) -> None:
    """Why the change exists: the listening socket's protocol number is 0."""
    assert _accepted_nodelay() == 0


def test_a_connection_the_server_accepts_sends_without_waiting(stock_asyncio: None) -> None:
    nodelay.send_at_once()
    assert _accepted_nodelay() != 0


def test_the_served_app_turns_it_on(stock_asyncio: None) -> None:
    import importlib

    import serve

    asyncio.base_events._set_nodelay = lambda sock: None  # type: ignore[attr-defined]
    importlib.reload(serve)
    assert asyncio.base_events._set_nodelay is nodelay._set_nodelay  # type: ignore[attr-defined]
