"""Password rules and hashing (RELIABILITY.md, Accounts).

12 characters up to 72 UTF-8 bytes (bcrypt's limit: longer input would be
silently truncated, so it is refused instead), no composition rules, common
passwords refused, bcrypt cost 12. Surrounding whitespace is stripped exactly
as the sign-in widget strips it, so a password always signs in as it was set.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import bcrypt

from cop.core.i18n import N_
from cop.core.messages import Message

BCRYPT_COST = 12
MIN_CHARS = 12
MAX_BYTES = 72

# A timing-safe stand-in: unknown usernames still cost one bcrypt check.
_DUMMY_HASH = bcrypt.hashpw(b"no such user, no such password", bcrypt.gensalt(BCRYPT_COST))


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    path = Path(__file__).parent / "resources" / "common_passwords.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def normalise(password: str) -> str:
    """The rule the sign-in widget applies: surrounding whitespace does not count."""
    return password.strip()


def problem(password: str) -> str | None:
    """Why this password may not be used, or None when it is fine."""
    password = normalise(password)
    if len(password) < MIN_CHARS:
        return Message(
            N_("Use at least {count} characters (a passphrase of a few words is easiest)."),
            count=MIN_CHARS,
        )
    if any("\ud800" <= ch <= "\udfff" for ch in password):
        return N_(
            "The password contains a broken character (undecodable bytes); please type it again."
        )
    if len(password.encode("utf-8")) > MAX_BYTES:
        return Message(
            N_(
                "This password is {length} bytes long in UTF-8; at most {maximum} are possible "
                "(accented letters count 2, emoji 4). Please use a shorter one."
            ),
            length=len(password.encode("utf-8")),
            maximum=MAX_BYTES,
        )
    if "\x00" in password:
        return N_("The password must not contain a NUL character.")
    if password.lower() in _common() or len(set(password)) <= 2:
        return N_("This password is too common; please choose another.")
    return None


def hash_password(password: str, cost: int | None = None) -> str:
    return bcrypt.hashpw(
        normalise(password).encode("utf-8"), bcrypt.gensalt(cost or BCRYPT_COST)
    ).decode()


def check_password(password: str, password_hash: str | None) -> bool:
    """Constant-cost check; an unknown user (hash None) or a password that is not text is checked against a dummy."""
    if not isinstance(password, str):
        bcrypt.checkpw(b"not a password", _DUMMY_HASH)
        return False
    candidate = normalise(password).encode("utf-8", "surrogatepass")  # broken input never matches
    if len(candidate) > MAX_BYTES:
        candidate = candidate[
            :MAX_BYTES
        ]  # bcrypt >= 4.1 raises on longer input; never matches anyway
        bcrypt.checkpw(candidate, _DUMMY_HASH)
        return False
    if password_hash is None:
        bcrypt.checkpw(candidate, _DUMMY_HASH)
        return False
    try:
        return bcrypt.checkpw(candidate, password_hash.encode())
    except ValueError:
        return False
