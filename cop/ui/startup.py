"""Once per server process: bring the schema up to date and load the demo on first start."""

from __future__ import annotations

import sqlalchemy as sa
import streamlit as st

from cop import settings
from cop.errors import DatabaseUnavailable
from cop.i18n import N_
from cop.schema import SchemaBehind, ensure_schema


@st.cache_resource(show_spinner=False)
def _prepare(database_url: str) -> bool:
    """Keyed by the database URL and holding no per-user data, so safe in the shared cache."""
    ensure_schema()
    if settings.demo_enabled():
        from cop.demo import load_demo_if_empty

        load_demo_if_empty()
    return True


def prepare_workspace() -> None:
    """Stop with a clear message when the database is behind (PostgreSQL) or unreachable."""
    try:
        _prepare(settings.database_url())
    except SchemaBehind as exc:
        st.error(str(exc), icon=":material/database:")
        st.stop()
    except (DatabaseUnavailable, OSError, sa.exc.OperationalError):
        raise DatabaseUnavailable(N_("The database is unavailable right now; please try again shortly.")) from None
