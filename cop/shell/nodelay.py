"""Every reply leaves the server at once: Nagle's algorithm off on each connection it accepts.

Streamlit's Starlette server binds its listening socket as ``socket.socket(family)``, whose
protocol number is 0, and asyncio turns Nagle's algorithm off (``TCP_NODELAY``) only on
sockets whose protocol number says TCP (``asyncio.base_events._set_nodelay``). So every
connection kept it: in each run the server's second small message waited for the browser to
acknowledge the first, and browsers, like Linux itself, delay that acknowledgement by up to
40 ms. Every click paid it: an empty page's rerun took 44 ms over the protocol, 6 ms when the
client acknowledged at once (Tornado, Streamlit's server before, turned it off itself).

``send_at_once`` widens asyncio's check to any TCP stream socket (an IPv4 or IPv6 stream is
TCP whatever its protocol number says). asyncio calls the function for each connection as it
is accepted, so this works whenever it runs before the first one; serve.py runs it on import.
"""

from __future__ import annotations

import asyncio.base_events
import socket

_TCP_FAMILIES = {socket.AF_INET, socket.AF_INET6}


def _set_nodelay(sock: socket.socket) -> None:
    """asyncio's own rule, for a socket made without naming its protocol too."""
    if (
        sock.family in _TCP_FAMILIES
        and sock.type == socket.SOCK_STREAM
        and sock.proto in (0, socket.IPPROTO_TCP)
    ):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def send_at_once() -> None:
    """Turn Nagle's algorithm off on every TCP connection this process accepts from now on."""
    asyncio.base_events._set_nodelay = _set_nodelay  # type: ignore[attr-defined]
