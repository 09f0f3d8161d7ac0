"""Home's activity feed: sentences that name the record and link to it, never audit codes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pyarrow as pa
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from cop.core.db import read_session
from tests.page_fixtures import texts
from tests.shell.test_german import choose_language


def audit_codes() -> set[str]:
    """Every event code and record type the demo's audit trail holds ("section.create", ...)."""
    with read_session() as session:
        rows = session.execute(sa.text("SELECT DISTINCT action, record_type FROM audit_event"))
        return {code for row in rows for code in row if code and ("_" in code or "." in code)}


def activity(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown if " · <a href=" in m.value)


def test_recent_activity_names_and_links_the_records(run_page: Callable[..., AppTest]) -> None:
    at = run_page("home", "facilitator")
    assert not at.exception, at.exception
    page = texts(at)
    feed = activity(at)
    assert feed, page
    codes = audit_codes()
    assert "section.create" in codes and "action_update" in codes  # the demo's raw codes
    shown = [code for code in codes if code in page]
    assert not shown, shown
    assert "created the section “" in feed or "updated the action “" in feed, feed
    assert re.search(
        r'<a href="./(actions|workshops|toolkit|practices)\?id=\d+" target="_self">', feed
    ), feed


def test_recent_activity_reads_german(run_page: Callable[..., AppTest]) -> None:
    choose_language("facilitator", "de")
    at = run_page("home", "facilitator")
    feed = activity(at)
    assert " hat " in feed, feed
    for english in ("created", "updated", "the section", "the action"):
        assert english not in feed, feed


def test_workshops_per_month_name_their_months_in_the_readers_language(
    run_page: Callable[..., AppTest],
) -> None:
    choose_language("admin", "de")
    at = run_page("home", "admin")
    at.session_state["home_across_open"] = True
    at.run()
    assert not at.exception, at.exception
    chart = at.get("vega_lite_chart")[0].proto
    spec = json.loads(chart.spec)
    months = list(pa.ipc.open_stream(chart.data.data).read_all().column("month").to_pylist())
    assert months
    assert not [m for m in months if re.fullmatch(r"\d{4}-\d{2}", m)], months
    order = spec["encoding"]["x"]["sort"]
    assert set(months) <= set(order)
    german = ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt."]
    german += ["Nov.", "Dez."]

    def when(label: str) -> tuple[int, int]:
        name, year = label.rsplit(" ", 1)
        return int(year), german.index(name)

    assert order == sorted(order, key=when)  # calendar order, not A to Z
    assert any(
        re.fullmatch(r"(Jan|Feb|März|Apr|Mai|Juni|Juli|Aug|Sept|Okt|Nov|Dez)\.? \d{4}", m)
        for m in months
    ), months


def test_a_part_links_to_the_nearest_record_with_a_page(run_page: Callable[..., AppTest]) -> None:
    """A comment belongs to a section, the section to a chapter: the line opens the toolkit."""
    from cop.core.db import write_session
    from cop.core.permissions import SYSTEM
    from cop.toolkit import sections as toolkit_sections
    from tests.toolkit.chapter_helpers import chapter_sections, welcoming_chapter

    # The demo's own comments are older than its German edition and its publication.
    section = chapter_sections(welcoming_chapter())[0]
    with write_session() as s:
        toolkit_sections.add_comment(s, SYSTEM, section.id, "Shall we add a photo?")
    at = run_page("home", "facilitator")
    lines = activity(at).splitlines()
    comments = [line for line in lines if "a comment on the section" in line]
    assert comments, lines
    assert all('<a href="./toolkit?id=' in line for line in comments), comments


def test_due_actions_say_overdue_in_words_and_use_no_emoji(
    run_page: Callable[..., AppTest],
) -> None:
    """An emoji marker (🔴 🟡) shows as an empty box on systems without an emoji font."""
    at = run_page("home", "member")
    page = texts(at)
    assert "overdue ·" in page, page
    assert not any(mark in page for mark in "🔴🟡🟢"), page
