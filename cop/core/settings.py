"""Configuration read from the environment (and ``.streamlit/secrets.toml``).

Settings are read on demand rather than frozen at import, so a test or the CLI
can point the process at another database by changing the environment.
"""

from __future__ import annotations

import functools
import os
import secrets
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
COOKIE_NAME = "cop_session"
COOKIE_EXPIRY_DAYS = 14.0


def data_dir() -> Path:
    """Where the SQLite file and the generated cookie key live (``COP_DATA_DIR`` or ./data)."""
    return Path(os.environ.get("COP_DATA_DIR") or PROJECT_ROOT / "data")


def _secrets() -> dict:
    return _read_secrets(PROJECT_ROOT / ".streamlit" / "secrets.toml")


@functools.cache
def _read_secrets(path: Path) -> dict:
    """The secrets file, read once per process, as Streamlit reads its own at start.

    Every database session asks for the database's address, and with no ``COP_DATABASE_URL``
    in the environment each ask looked for this file on disk: a system call per read that gave
    up the interpreter's lock, 7 % of a loaded server's samples (issue 24). The environment is
    still read on every ask; a changed file takes a restart.
    """
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def _setting(name: str) -> str | None:
    return os.environ.get(name) or _secrets().get(name) or None


def database_url() -> str:
    """The database: ``COP_DATABASE_URL`` or the embedded SQLite file ``data/cop.db``."""
    url = _setting("COP_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{data_dir() / 'cop.db'}"


def is_sqlite(url: str | None = None) -> bool:
    return (url or database_url()).startswith("sqlite")


def demo_enabled() -> bool:
    return os.environ.get("COP_DEMO", "") in {"1", "true", "yes"}


def smtp_url() -> str | None:
    return _setting("COP_SMTP_URL")


class CookieKeyMissing(RuntimeError):
    """PostgreSQL deployments run several replicas: they must share one configured key."""


def cookie_key() -> str:
    """The key that signs the sign-in cookie.

    Taken from ``COP_COOKIE_KEY`` (or secrets.toml). On the embedded SQLite
    default a key of 32 random bytes is generated once into ``data/`` with mode
    0600, so a fresh clone works without configuration and the key is never
    committed. With PostgreSQL it must be configured: replicas must agree on it.
    """
    key = _setting("COP_COOKIE_KEY")
    if key:
        if len(key.encode()) < 32:
            raise CookieKeyMissing("COP_COOKIE_KEY must be at least 32 bytes long.")
        return key
    if not is_sqlite():
        raise CookieKeyMissing(
            "COP_COOKIE_KEY is required when the database is PostgreSQL "
            "(every replica must share it)."
        )
    path = data_dir() / "cookie.key"
    if not path.exists():
        _create_key_file(path)
    return path.read_text().strip()


def _create_key_file(path: Path) -> None:
    """Write the key whole under a temporary name, then link it into place.

    Sessions that start together all find no key; the link succeeds for one of
    them and the others read that one's key, never a half-written file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".cookie-key-")  # mode 0600
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another session made it first: its key stands
    finally:
        os.unlink(temporary)


@dataclass(frozen=True)
class Limits:
    """The limits of DESIGN.md, in one place so forms and services agree."""

    title_max: int = 200
    long_text_max: int = 100_000
    # What a search or filter field takes: a whole title, not a pasted document (whose
    # LIKE scans took minutes on PostgreSQL, growing with its length).
    search_max: int = 200
    attachment_bytes: int = 10 * 1024 * 1024
    exports_at_once: int = 2


LIMITS = Limits()


# Sign-in through the organisation's identity provider (OpenID Connect, Streamlit's st.login).
OIDC_ENVIRONMENT = {
    "server_metadata_url": "COP_OIDC_METADATA_URL",
    "client_id": "COP_OIDC_CLIENT_ID",
    "client_secret": "COP_OIDC_CLIENT_SECRET",
    "redirect_uri": "COP_OIDC_REDIRECT_URI",
}


def oidc_auth_section() -> dict[str, str] | None:
    """Streamlit's ``[auth]`` settings built from the environment, or None when they are not all set.

    ``COP_OIDC_METADATA_URL`` (the provider's ``.well-known/openid-configuration``),
    ``COP_OIDC_CLIENT_ID``, ``COP_OIDC_CLIENT_SECRET`` and ``COP_OIDC_REDIRECT_URI``
    (``https://<host>/oauth2callback``). The identity cookie is signed with
    ``COP_OIDC_COOKIE_SECRET``, else with the sign-in cookie's key: every replica must
    share it, as they share that key. serve.py hands this to ``st.App(secrets=...)``;
    an ``[auth]`` section in ``.streamlit/secrets.toml`` works as well (the environment wins).
    """
    values = {key: os.environ.get(name, "").strip() for key, name in OIDC_ENVIRONMENT.items()}
    if not all(values.values()):
        return None
    values["cookie_secret"] = os.environ.get("COP_OIDC_COOKIE_SECRET", "").strip() or cookie_key()
    return values


def oidc_label() -> str | None:
    """What the sign-in button names the provider ("Sign in with <label>"): ``COP_OIDC_LABEL``."""
    return _setting("COP_OIDC_LABEL")
