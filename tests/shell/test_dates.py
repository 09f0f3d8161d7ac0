"""One date format per language: no screen prints an ISO date (2027-05-31) or a raw datetime.

Everything a reader sees on each main page and its detail views is gathered:
text, tables (each cell as it would be drawn), the options of pickers, chart
data shown as labels. Date widgets are left out: they show the date their way.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from cop.actions.models import Action
from cop.core.db import read_session
from cop.core.i18n import translator
from cop.practices.models import Practice
from cop.workshops.models import Workshop
from tests.actions.test_timeline_page import rendered_svg
from tests.page_fixtures import as_shown, texts
from tests.shell.test_german import choose_language, compiled_catalogs  # noqa: F401

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _cell(value: Any) -> str:
    """A table cell as drawn: a date or timestamp as ISO text; st.table's escaped Markdown as read."""
    return as_shown(str(value))


def shown_text(at: AppTest) -> str:
    parts = [as_shown(texts(at))]
    for frame in [*at.dataframe, *at.table]:
        table = frame.value
        parts += [str(c) for c in table.columns]
        parts += [_cell(v) for column in table.columns for v in table[column].tolist()]
    for picker in [*at.selectbox, *at.multiselect, *at.radio]:
        parts += [str(o) for o in picker.options]
    parts += [b.label for b in at.button] + [e.label for e in at.expander]
    parts += [c.label for c in at.checkbox]
    return "\n".join(parts)


def _first(model: Any, **where: Any) -> int:
    with read_session() as session:
        stmt = select(model.id)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        return session.exec(stmt.order_by(model.id)).first()  # type: ignore[return-value]


PARENT_ACTION = "Welcome points in two more Düsseldorf districts"  # milestones, sub-actions
Query = Callable[[], dict[str, str]] | None
# (page, user, ?id=, a view to open: session state key and its English tab label or value)
PAGES: list[tuple[str, str, Query, tuple[str, str] | None]] = [
    ("home", "facilitator", None, None),
    ("workshops", "facilitator", None, None),
    ("workshops", "facilitator", None, ("ws_view", "calendar")),
    ("workshops", "facilitator", None, ("ws_view", "upcoming")),
    ("workshops", "facilitator", lambda: {"id": str(_first(Workshop, status="closed"))}, None),
    ("actions", "facilitator", None, None),
    ("actions", "facilitator", None, ("actions_view", "Board")),
    ("actions", "facilitator", None, ("actions_view", "City plan")),
    ("actions", "facilitator", lambda: {"id": str(_first(Action, title=PARENT_ACTION))}, None),
    ("practices", "facilitator", None, None),
    ("practices", "facilitator", None, ("practices_view", "Standards")),
    ("practices", "facilitator", None, ("practices_view", "Self-assessment")),
    ("practices", "facilitator", lambda: {"id": str(_first(Practice))}, None),
    ("toolkit", "facilitator", None, None),
    ("search", "facilitator", None, None),
    ("admin", "admin", None, None),
    ("profile", "member", None, None),
]


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize(("page", "username", "query", "view"), PAGES)
def test_no_iso_dates_on_the_page(
    run_page: Callable[..., AppTest],
    page: str,
    username: str,
    query: Query,
    view: tuple[str, str] | None,
    language: str,
) -> None:
    choose_language(username, language)
    at = run_page(page, username, query() if query else None)
    if view is not None:
        key, value = view
        at.session_state[key] = translator(language)(value) if value[0].isupper() else value
        at.run()
    assert not at.exception, at.exception
    shown = shown_text(at)
    found = sorted({m.group() for m in ISO_DATE.finditer(shown)})
    lines = [line for line in shown.splitlines() if ISO_DATE.search(line)][:5]
    assert not found, lines


def _temporal(node: Any) -> list[dict[str, Any]]:
    """Every encoding or tooltip of a Vega-Lite spec that shows a date."""
    found = []
    if isinstance(node, dict):
        if node.get("type") == "temporal":
            found.append(node)
        for value in node.values():
            found += _temporal(value)
    elif isinstance(node, list):
        for value in node:
            found += _temporal(value)
    return found


def test_the_timeline_writes_dates_as_the_language_does(run_page: Callable[..., AppTest]) -> None:
    choose_language("member", "de")
    at = run_page("actions", "member")
    at.session_state["actions_view"] = translator("de")("Timeline")
    at.run()
    chart = at.get("vega_lite_chart")[0].proto
    spec = json.loads(chart.spec)
    shown = [
        node
        for node in _temporal(spec)
        if "x2" not in node  # x2 shares the x axis
    ]
    assert shown
    for node in shown:  # axis labels and tooltips: 31.05.2027, never "May 31" or 2027-05-31
        written = node.get("format") or node.get("axis", {}).get("format")
        assert written == "%d.%m.%Y", node
    svg = rendered_svg(chart)
    labels = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert [t for t in labels if re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", t)], labels
    months = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w*( \d+)?|\d{4}"
    assert not [t for t in labels if re.fullmatch(months, t)], labels
