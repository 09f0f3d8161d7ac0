"""The documented test seam: the session state a real form sign-in leaves behind.

AppTest and the page benchmarks cannot drive the browser cookie, so they put
this state into ``AppTest.session_state`` before the first run; the gate then
treats the session exactly like one signed in through the form (it still
re-reads the user from the database and applies every check).
"""

from __future__ import annotations

from cop.core import clock


def sign_in_state(username: str) -> dict[str, object]:
    return {
        "authentication_status": True,
        "username": username,
        "name": username,
        "logout": None,
        "cop_signed_in_at": clock.now().isoformat(),
    }
