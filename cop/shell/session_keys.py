"""Session-state keys the shell shares between its modules (and the test seam)."""

from __future__ import annotations

AUTH_KEYS = ("authentication_status", "username", "name", "email", "roles")


COOKIE_PENDING = "cop_cookie_pending"


COOKIE_WRITER = "cop-cookie-writer"


DELETE_COOKIE = "cop_delete_cookie"


COMMUNITY_KEY = "cop_community_id"
