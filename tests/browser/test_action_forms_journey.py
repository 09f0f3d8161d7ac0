"""The action page's forms in Chromium: a refused save keeps what was typed, a saved one empties.

The update, milestone and indicator forms (and a chapter's comment form and a practice's
image form, built the same way) used ``clear_on_submit``, which empties a form on every
submit: a refused update lost its text. AppTest does not show that loss, the browser does.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from tests.browser.conftest import DEMO_PASSWORD, Server
from tests.browser.helpers import assert_no_exception, wait_idle
from tests.browser.journeys import choose, click, enter

pytestmark = pytest.mark.e2e

COMMUNITY = "Community building and welcoming culture"


def _plain_action(server: Server) -> int:
    """An open action of the community whose percentage people post (no sub-actions, no milestones mode)."""
    engine = sa.create_engine(server.database_url)
    with engine.connect() as conn:
        found = conn.execute(
            sa.text(
                "SELECT a.id FROM action a JOIN community c ON c.id = a.community_id "
                "WHERE c.name = :name AND a.deleted_at IS NULL AND a.status = 'in_progress' "
                "AND a.progress_mode = 'status' AND NOT EXISTS ("
                "  SELECT 1 FROM action s WHERE s.parent_id = a.id AND s.deleted_at IS NULL) "
                "ORDER BY a.id LIMIT 1"
            ),
            {"name": COMMUNITY},
        ).scalar_one()
    engine.dispose()
    return int(found)


def _facilitator_on_plain_action(demo: Server, new_context: Callable[[], Any]) -> Page:
    """The facilitator, signed in, on the page of ``_plain_action``."""
    page = new_context().new_page()
    enter(page, demo.url, "facilitator", DEMO_PASSWORD)
    page.goto(f"{demo.url}/actions?id={_plain_action(demo)}")
    wait_idle(page)
    return page


def test_a_refused_update_keeps_its_text_and_a_posted_one_empties_the_form(
    demo, new_context
) -> None:
    page = _facilitator_on_plain_action(demo, new_context)
    updates = page.get_by_role("tabpanel", name="Updates")
    form = updates.get_by_test_id("stForm")
    text = f"Twelve mentors trained {uuid.uuid4().hex[:6]}"
    form.get_by_label("Update (Markdown)").fill(text)
    choose(form, "New status", "Done")
    form.get_by_label("New progress (%)").fill("50")
    click(form.get_by_role("button", name="Post update"))
    expect(form.get_by_text("A done action is at 100 %.")).to_be_visible()
    expect(form.get_by_label("Update (Markdown)")).to_have_value(text)  # nothing typed is lost

    form.get_by_label("New progress (%)").fill("100")
    click(form.get_by_role("button", name="Post update"))
    # The posted update as drawn in the list, not the editor's preview of what was typed.
    expect(updates.get_by_test_id("stMarkdownContainer").filter(has_text=text)).to_be_visible()
    expect(form.get_by_label("Update (Markdown)")).to_have_value("")  # ready for the next one
    assert_no_exception(page)


def test_a_title_typed_under_edit_survives_closing_and_reopening_the_panel(
    demo, new_context
) -> None:
    """Issue 24: the Edit form is drawn only once opened; closing it must not drop unsent typing."""
    page = _facilitator_on_plain_action(demo, new_context)
    main = page.get_by_test_id("stMain")
    summary = main.locator("summary").filter(has_text="Edit")
    click(summary.first)
    edit = main.get_by_test_id("stExpander").filter(
        has=page.locator("summary").filter(has_text="Edit")
    )
    title = edit.get_by_label("Title", exact=True)
    typed = f"Mentors trained, renamed {uuid.uuid4().hex[:6]}"
    title.fill(typed)
    click(summary.first)  # closed before saving
    click(summary.first)
    expect(title).to_have_value(typed)
    assert_no_exception(page)
