"""Calling a service from a page, and showing what went wrong next to the right field.

A page calls ``outcome = submit(form_key, service, *args)``. On ValidationError
the field messages are kept under ``form_key`` and the run repeats, so each
message appears under its field (``field_error``) while the widgets keep what
the user typed; messages are translated for the reader when drawn
(``localize``). A ConflictError shows the other person's change; the user's
input stays in the form. Permission, not-found and database problems become
one calm message, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import lru_cache, partial
from typing import Any, TypeVar

import streamlit as st
from babel.numbers import get_decimal_symbol, get_group_symbol

from cop.core import history
from cop.core.db import read_session, write_session
from cop.core.errors import (
    ConflictError,
    DatabaseUnavailable,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from cop.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, translator
from cop.core.messages import Message
from cop.core.messages import localize as _localize
from cop.shell.cache import cached_read
from cop.shell.formatting import format_date
from cop.shell.text import plain

T = TypeVar("T")


def _errors_key(form_key: str) -> str:
    return f"cop_errors::{form_key}"


def _conflict_key(form_key: str) -> str:
    return f"cop_conflict::{form_key}"


@lru_cache(maxsize=16)
def _number_marks(language: str) -> tuple[str, str]:
    """(group separator, decimal mark) of ``language``, e.g. (".", ",") in German."""
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    return get_group_symbol(language), get_decimal_symbol(language)


def localize(message: str, language: str = "en") -> str:
    """A service's message in ``language``: a ``cop.core.messages.Message`` from its template, other text by gettext."""
    return _localize(
        message,
        translator(language),
        _number_marks(language),
        partial(format_date, language=language),
    )


def error_text(error: Exception, language: str = "en") -> str:
    """A service's refusal (not found, not allowed, a conflict) in ``language``.

    The error keeps the message it was raised with, a ``Message`` whose
    template the catalog knows; ``str(error)`` is its English text.
    """
    message = error.args[0] if error.args and isinstance(error.args[0], str) else str(error)
    return localize(message, language)


def field_error(form_key: str, field: str, language: str = "en") -> None:
    """Draw the message for ``field`` of ``form_key``, if the last submit left one."""
    message = st.session_state.get(_errors_key(form_key), {}).get(field)
    if message:
        st.error(plain(localize(message, language)), icon=":material/error:")


def form_errors(form_key: str) -> dict[str, str]:
    return dict(st.session_state.get(_errors_key(form_key), {}))


def forget_errors(form_key: str) -> None:
    """Drop a form's field messages (the person took another way than the one refused)."""
    st.session_state.pop(_errors_key(form_key), None)


def errors_banner(form_key: str, language: str = "en") -> None:
    """Above a refused form: every message at once (each also appears under its field)."""
    errors = form_errors(form_key)
    if errors:
        _ = translator(language)
        listed = "\n".join(f"- {plain(localize(m, language))}" for m in errors.values())
        st.error(_("Nothing was saved. Please correct:") + "\n" + listed)


def draw_conflict(form_key: str, language: str = "en") -> None:
    """Show what someone else changed, once, above the form that was refused."""
    conflict = st.session_state.pop(_conflict_key(form_key), None)
    if not conflict:
        return
    _ = translator(language)
    st.warning(plain(conflict["message"]), icon=":material/sync_problem:")
    with read_session() as session:
        described = history.conflict_rows(
            session, conflict.get("record_type", ""), conflict["changed"]
        )
    rows = [
        {
            _("Field"): localize(label, language),
            _("Was"): _shown(was, language),
            _("Now"): _shown(now, language),
            _("Changed by"): str(who),
        }
        for label, was, now, who in described
    ]
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")


def _shown(value: Any, language: str) -> str:
    """A value of the conflict table as the reader's language writes it (a day, a number, a label)."""
    text = localize(Message("{value}", value=value), language)
    return text if len(text) <= 200 else text[:199] + "…"


def submit(
    form_key: str, service: Callable[..., T], *args: Any, reader_language: str = "en", **kwargs: Any
) -> T | None:
    """Run ``service(session, *args, **kwargs)`` in one write transaction and report the outcome."""
    _ = translator(reader_language)
    st.session_state.pop(_errors_key(form_key), None)
    st.session_state.pop(_conflict_key(form_key), None)
    try:
        with write_session() as session:
            return service(session, *args, **kwargs)
    except ValidationError as exc:
        st.session_state[_errors_key(form_key)] = dict(exc.fields)  # translated when drawn
        st.rerun()  # draw each message under its field; keyed widgets keep the input
    except ConflictError as exc:
        st.session_state[_conflict_key(form_key)] = {
            "message": error_text(exc, reader_language),
            "changed": exc.changed,
            "record_type": exc.record_type,
        }
        draw_conflict(form_key, reader_language)
    except (PermissionDenied, NotFound) as exc:
        st.error(plain(error_text(exc, reader_language)), icon=":material/block:")
    except DatabaseUnavailable as exc:
        st.error(plain(error_text(exc, reader_language)), icon=":material/cloud_off:")
    return None


def read(
    service: Callable[..., T],
    *args: Any,
    reader_language: str = "en",
    cached: bool = False,
    varies_with: tuple = (),
    journal: bool = True,
    kept_as: Hashable | None = None,
    **kwargs: Any,
) -> T | None:
    """Run a read service; a not-found or forbidden record becomes a message and stops the page.

    ``cached=True`` reuses the result until anything is written
    (``cop.shell.cache.cached_read``, keyed by the service and its arguments;
    ``varies_with`` adds what else it depends on, such as today's date); with
    ``journal=False`` until a record changes, for a read that shows no action update,
    history or search entry (it may not read them); ``kept_as``: see
    ``cop.shell.cache.cached_read``.
    """
    _ = translator(reader_language)
    try:
        if cached:
            return cached_read(
                service, *args, varies_with=varies_with, journal=journal, kept_as=kept_as, **kwargs
            )
        with read_session() as session:
            return service(session, *args, **kwargs)
    except (PermissionDenied, NotFound) as exc:
        st.error(plain(error_text(exc, reader_language)), icon=":material/block:")
    except DatabaseUnavailable as exc:
        st.error(plain(error_text(exc, reader_language)), icon=":material/cloud_off:")
    st.stop()


def pager(total: int, key: str, page_size: int = 25, language: str = "en") -> tuple[int, int]:
    """A page picker under a list; returns (limit, offset) for the SQL query."""
    _ = translator(language)
    pages = max(1, (total + page_size - 1) // page_size)
    if pages == 1:
        return page_size, 0
    page = st.number_input(
        _("Page (of {pages})").format(pages=pages),
        min_value=1,
        max_value=pages,
        value=1,
        step=1,
        key=key,
    )
    return page_size, (int(page) - 1) * page_size


def prefill(key: str, version: int, values: dict[str, Any]) -> int:
    """Put a record's values into a form's keyed widgets once; returns the version the user started from.

    The widgets then keep the user's input across reruns and other people's
    saves, and the save states the version the form was filled from, so a
    stale save is refused with the other change shown instead of overwriting it.
    """
    marker = f"{key}-version"
    kept = [field for field in values if f"{key}-{field}" in st.session_state]
    if marker not in st.session_state or not kept:
        # First drawing, or Streamlit dropped the widgets' state while the form
        # was not drawn (another view was shown): fill it afresh.
        st.session_state[marker] = version
        for field, value in values.items():
            st.session_state[f"{key}-{field}"] = value
    else:
        for field, value in values.items():
            st.session_state.setdefault(f"{key}-{field}", value)
    return int(st.session_state[marker])


def widget_key(form_key: str, field: str) -> str:
    """The key of ``field`` in a form that empties after a save (see ``clear_form``).

    Such forms keep ``clear_on_submit`` off, so a refused save keeps every value,
    files included; a successful save moves the keys on, and Streamlit draws
    fresh, empty widgets (a file uploader cannot be emptied any other way).
    """
    return f"{form_key}-{st.session_state.get(_generation_key(form_key), 0)}-{field}"


def clear_form(form_key: str) -> None:
    """After a successful save: the next run draws the form empty."""
    generation = _generation_key(form_key)
    old = st.session_state.get(generation, 0)
    prefix = f"{form_key}-{old}-"
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]
    st.session_state[generation] = old + 1


def _generation_key(form_key: str) -> str:
    return f"cop_generation::{form_key}"


def forget(key: str, fields: list[str]) -> None:
    """After a save the form is filled afresh from the stored record."""
    for name in ["version", *fields]:
        st.session_state.pop(f"{key}-{name}", None)


PAGE_SIZE = 25
