"""Download links: a signed, short-lived token that says who asked for which file.

The page draws a link ``/download/<token>`` when it shows the export; the token holds
the account, the kind of file and its parameters (filters, community, chapter, format),
when it was issued and until when it holds. It is a JWT signed (HS256) with a key derived
from the sign-in cookie's key, never with that key itself, and with its own audience, so
a sign-in cookie is no download link and a download link no sign-in cookie. Every
replica shares the cookie key, so any replica can serve any link.

A token only names the file: the download route re-reads the account (still active,
its sessions not ended since the token was issued) and builds the file through the
same services as the page, which check the permissions again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import jwt

from cop.core import clock, settings

AUDIENCE = "cop-download"
LIFETIME = timedelta(minutes=10)


class TokenInvalid(Exception):
    """The token was not made here, was changed, or is not a download token."""


class TokenExpired(TokenInvalid):
    """The token was made here but its time is over."""


@dataclass(frozen=True)
class DownloadClaims:
    account_id: int
    kind: str
    params: dict[str, Any]
    issued_at: datetime


class _Encoder(json.JSONEncoder):
    """Days (a list's date filters) travel as ISO text, which the services read back."""

    def default(self, o: Any) -> Any:
        if isinstance(o, date):
            return o.isoformat()
        return super().default(o)


def _key() -> bytes:
    return hmac.new(settings.cookie_key().encode(), b"cop download links", hashlib.sha256).digest()


def make_token(
    account_id: int, kind: str, params: dict[str, Any] | None = None, *, now: datetime | None = None
) -> str:
    """A token for ``kind`` built with ``params`` for the account, valid for ``LIFETIME``."""
    issued = now or clock.now()
    payload = {
        "aud": AUDIENCE,
        "sub": str(account_id),
        "kind": kind,
        "params": params or {},
        "at": issued.timestamp(),
        "until": (issued + LIFETIME).timestamp(),
    }
    return jwt.encode(payload, _key(), algorithm="HS256", json_encoder=_Encoder)


def read_token(token: str, *, now: datetime | None = None) -> DownloadClaims:
    """The claims of a token made here and still valid; raises TokenInvalid or TokenExpired."""
    try:
        payload = jwt.decode(token, _key(), algorithms=["HS256"], audience=AUDIENCE)
    except (jwt.PyJWTError, ValueError, TypeError) as exc:
        raise TokenInvalid(str(exc)) from None
    account, kind, params = payload.get("sub"), payload.get("kind"), payload.get("params")
    issued, until = payload.get("at"), payload.get("until")
    if not (
        isinstance(account, str)
        and account.isdigit()
        and isinstance(kind, str)
        and isinstance(params, dict)
        and isinstance(issued, int | float)
        and isinstance(until, int | float)
        and not isinstance(issued, bool)
        and not isinstance(until, bool)
    ):
        raise TokenInvalid("a download token of the wrong shape")
    if (now or clock.now()).timestamp() >= until:
        raise TokenExpired("the download link has expired")
    return DownloadClaims(int(account), kind, params, datetime.fromtimestamp(issued, UTC))
