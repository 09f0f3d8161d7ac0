"""Issue 18.7 in Chromium: an over-long section title is refused under its field.

In a module of its own: its server's newest edition is the demo's, which the other
toolkit journey replaces with one of its own.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.helpers import assert_no_exception
from tests.browser.journeys import click, enter, go, pick_community

pytestmark = pytest.mark.e2e

COMMUNITY = "Community building and welcoming culture"


def test_an_over_long_section_title_is_refused_under_the_field_and_adds_nothing(
    demo, new_context
) -> None:
    """Issue 18.7: a pasted 201-character title used to be dropped by the field, which kept the
    previous title, and "Add section" silently made a second section with it."""
    page = new_context().new_page()
    enter(page, demo.url, "facilitator", DEMO_PASSWORD)
    pick_community(page, COMMUNITY)
    go(page, "Toolkit")
    draft = page.get_by_role("tabpanel", name="Draft")
    adding = draft.get_by_test_id("stForm").filter(
        has=page.get_by_role("button", name="Add section")
    )
    title_field = adding.get_by_label("Title (empty: the usual title of its kind)")
    sections = draft.get_by_role("heading", name=re.compile(r"^\d+\. "))
    first = f"Desks in the libraries {uuid.uuid4().hex[:6]}"
    title_field.fill(first)
    click(adding.get_by_role("button", name="Add section"))
    expect(draft.get_by_role("heading", name=re.compile(re.escape(first)))).to_have_count(1)
    expect(title_field).to_have_value("")  # ready for the next section
    before = sections.count()

    title_field.fill("x" * 201)  # as a paste does: the whole value at once
    click(adding.get_by_role("button", name="Add section"))
    expect(adding.get_by_text("201 characters long; at most 200 are allowed")).to_be_visible()
    expect(title_field).to_have_value("x" * 201)  # nothing the person typed is lost
    assert sections.count() == before
    expect(draft.get_by_role("heading", name=re.compile(re.escape(first)))).to_have_count(1)
    assert_no_exception(page)
