"""Issue 17 (raw edge) in Chromium: a facilitator adds a city with its coordinates (a bad latitude is
refused under its field first), sees it listed, and corrects it; a member reads the list without forms."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.helpers import assert_no_exception
from tests.browser.journeys import (
    assert_clean_log,
    choose,
    click,
    enter,
    eventually,
    fill_text,
    go,
    grid_text,
    main,
)

pytestmark = pytest.mark.e2e


def test_facilitator_adds_and_corrects_a_city_and_a_member_only_reads(demo, new_context) -> None:
    page = new_context().new_page()
    enter(page, demo.url, "facilitator", DEMO_PASSWORD)
    name = f"Stadt Köln {uuid.uuid4().hex[:6]}"
    go(page, "Organisations")
    expect(main(page).get_by_role("heading", name="Organisations")).to_be_visible()

    click(main(page).get_by_text("Add an organisation"))
    form = main(page).get_by_test_id("stForm").first
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_label("Country (two letters)").fill("DE")
    form.get_by_label("Latitude (-90 to 90)").fill("95")
    form.get_by_label("Longitude (-180 to 180)").fill("6.9603")
    click(form.get_by_role("button", name="Save"))
    expect(form.get_by_text("The latitude must be between -90 and 90.")).to_be_visible()
    expect(form.get_by_label("Name", exact=True)).to_have_value(name)  # nothing typed is lost

    form.get_by_label("Latitude (-90 to 90)").fill("50.9375")
    click(form.get_by_role("button", name="Save"))
    expect(main(page).get_by_text(f"{name} is saved.")).to_be_visible()
    fill_text(main(page).get_by_role("textbox", name="Search"), name)
    eventually(lambda: name in grid_text(main(page)), f"{name} in the list")

    click(main(page).get_by_text("Correct an organisation"))
    choose(main(page), "Organisation", name)
    edit = main(page).get_by_test_id("stForm").last
    expect(edit.get_by_label("Name", exact=True)).to_have_value(name)
    edit.get_by_label("Name", exact=True).fill(f"{name} (Stadtverwaltung)")
    click(edit.get_by_role("button", name="Save"))
    expect(main(page).get_by_text(f"{name} (Stadtverwaltung) is saved.")).to_be_visible()
    assert_no_exception(page)

    reader = new_context().new_page()
    enter(reader, demo.url, "member", DEMO_PASSWORD)
    go(reader, "Organisations")
    fill_text(main(reader).get_by_role("textbox", name="Search"), name)
    eventually(lambda: f"{name} (Stadtverwaltung)" in grid_text(main(reader)), "the corrected name")
    expect(main(reader).get_by_text("Add an organisation")).to_have_count(0)
    assert_no_exception(reader)
    assert_clean_log(demo)
