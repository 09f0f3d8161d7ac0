"""Issue 6 in Chromium: an action is created from a closed workshop's outcome, gets a progress update,
moves on the board, and shows as overdue once its due date has passed.

"Once its due date has passed" uses the documented clock seam: a second
server on the same database started with ``COP_FROZEN_NOW`` after the due date.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from babel.dates import format_date
from playwright.sync_api import Page, expect

from tests.browser.conftest import DEMO_PASSWORD, Server, stop_server
from tests.browser.helpers import assert_no_exception, wait_idle
from tests.browser.journeys import (
    assert_clean_log,
    choose,
    click,
    demo_server,
    enter,
    fill_text,
    go,
    main,
    type_date,
)

pytestmark = pytest.mark.e2e

COMMUNITY = "Community building and welcoming culture"
ZONE = ZoneInfo("Europe/Brussels")  # the facilitator's and the workshop's
OUTCOME = "Train twenty welcome volunteers in Ghent libraries"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The demo plus a workshop closed today with an action outcome not yet turned into an action."""
    from cop.accounts import service as accounts
    from cop.communities import service as communities
    from cop.core import db
    from cop.workshops import outcomes
    from cop.workshops import service as workshops

    running = demo_server(tmp_path_factory.mktemp("actions"))
    day = datetime.now(ZONE).date() - timedelta(days=1)  # held: it must have begun
    with db.write_session(db.get_engine(running.database_url)) as session:
        facilitator = accounts.load_actor(session, username="facilitator")
        community = communities.get_by_slug(session, facilitator, "welcoming-culture")
        workshop = workshops.record_workshop(
            session,
            facilitator,
            community_id=community.id,
            title=f"Library volunteers {uuid.uuid4().hex[:6]}",
            kind="workshop",
            format="online",
            meeting_link="https://meet.example.org/libraries",
            starts_at=datetime.combine(day, time(9)),
            ends_at=datetime.combine(day, time(11)),
            time_zone=ZONE.key,
        )
        workshops.mark_held(session, facilitator, workshop.id, workshop.version)
        outcomes.add_outcome(session, facilitator, workshop.id, kind="action", text=OUTCOME)
        workshops.close_workshop(
            session, facilitator, workshop.id, workshop.version, minutes="Agreed to train."
        )
        running.workshop_title = workshop.title  # type: ignore[attr-defined]
    db.dispose_engines()
    yield running
    stop_server(running)
    assert_clean_log(running)


def card_column(page: Page, action_id: str) -> str:
    """The heading of the board column that holds the action's card."""
    card = main(page).locator(".cop-board").get_by_test_id(f"card-{action_id}")
    expect(card).to_be_visible()
    column = main(page).locator(".cop-column").filter(has=page.get_by_test_id(f"card-{action_id}"))
    return column.locator(".cop-column-title").inner_text()


def test_action_from_a_closed_workshop_is_updated_moved_and_becomes_overdue(
    server, new_context
) -> None:
    page = new_context().new_page()
    enter(page, server.url, "facilitator", DEMO_PASSWORD)
    due = datetime.now(ZONE).date() + timedelta(days=7)

    # The closed workshop, found by search; its action outcome becomes an action.
    go(page, "Search")
    fill_text(
        main(page).get_by_role(
            "textbox", name="Search workshops, actions, practices, standards and toolkit sections"
        ),
        server.workshop_title,
    )
    click(main(page).get_by_role("link", name=server.workshop_title))
    expect(main(page).get_by_text("This workshop is closed and read-only")).to_be_visible()
    click(page.get_by_role("tab", name="Outcomes"))
    outcomes = page.get_by_role("tabpanel", name="Outcomes")
    click(outcomes.get_by_role("button", name="Create action"))
    popover = page.get_by_test_id("stPopoverBody")
    choose(popover, "Owner", "Lena Schäfer")
    type_date(popover, "Due date", due)
    click(popover.get_by_role("button", name="Create action"))
    click(outcomes.get_by_role("link", name=f"Action: {OUTCOME}"))

    # The action's own page, linked back to where it came from; not overdue today.
    expect(page.get_by_role("heading", name=OUTCOME)).to_be_visible()
    action_id = re.search(r"[?&]id=(\d+)", page.url)[1]  # type: ignore[index]
    expect(main(page).get_by_text(f"From the workshop: {server.workshop_title}")).to_be_visible()
    expect(main(page).get_by_text(f"{COMMUNITY} · Planned")).to_be_visible()
    assert main(page).get_by_text("Overdue: it was due on").count() == 0

    # A progress update joins the timeline and the action.
    marker = f"Two trainings held {uuid.uuid4().hex[:8]}"
    updates = page.get_by_role("tabpanel", name="Updates")
    form = updates.get_by_test_id("stForm")
    form.get_by_label("Update (Markdown)").fill(f"{marker}: 9 volunteers trained, 11 to go.")
    form.get_by_label("New progress (%)").fill("45")
    click(form.get_by_role("button", name="Post update"))
    # The posted update as drawn in the list, not the editor's preview of what was typed.
    expect(updates.get_by_test_id("stMarkdownContainer").filter(has_text=marker)).to_be_visible()
    expect(updates.get_by_text("45 %")).to_be_visible()
    assert_no_exception(page)

    # On the board it moves from planned to in progress.
    click(main(page).get_by_role("button", name="Back to the list"))
    click(main(page).get_by_role("tab", name="Board"))
    board = page.get_by_role("tabpanel", name="Board")
    fill_text(board.get_by_role("textbox", name="Search"), OUTCOME)
    assert card_column(page, action_id).startswith("Planned")
    card = main(page).locator(".cop-board").get_by_test_id(f"card-{action_id}")
    expect(card).to_contain_text(marker)  # the latest update shows on the card
    card.get_by_role("button", name=f"Move to… {OUTCOME}").click()
    click(card.get_by_role("menuitem", name="In progress"))
    expect(
        main(page).locator(".cop-column[data-status='in_progress'] .cop-column-title")
    ).to_contain_text("In progress")
    expect(main(page).locator(".cop-column[data-status='in_progress'] .cop-cards")).to_contain_text(
        OUTCOME
    )
    assert card_column(page, action_id).startswith("In progress")
    assert_no_exception(page)

    with sa.create_engine(server.database_url).connect() as conn:
        status = conn.execute(
            sa.text("SELECT status FROM action WHERE id = :id"), {"id": action_id}
        ).scalar_one()
        posted = conn.execute(
            sa.text("SELECT count(*) FROM action_update WHERE action_id = :id AND text LIKE :m"),
            {"id": action_id, "m": f"{marker}%"},
        ).scalar_one()
    assert (status, posted) == ("in_progress", 1)

    # Three days after the due date (the same database, a server whose clock says so) ...
    later = datetime.combine(due + timedelta(days=3), time(12), tzinfo=ZONE)
    future = demo_server(server.data_dir, {"COP_FROZEN_NOW": later.isoformat()}, fresh=False)
    try:
        owner = new_context().new_page()
        enter(owner, future.url, "member", DEMO_PASSWORD)
        # ... the owner's home lists it as overdue ...
        due_list = (
            main(owner)
            .get_by_test_id("stColumn")
            .filter(has=owner.get_by_role("heading", name="My actions due"))
            .last
        )
        expect(due_list.get_by_role("link", name=OUTCOME)).to_be_visible()
        expect(
            due_list.get_by_text(
                f"overdue · {format_date(due, 'medium', locale='en')} · {COMMUNITY}"
            )
        ).to_be_visible()
        # ... and the action's page says so.
        click(due_list.get_by_role("link", name=OUTCOME))
        expect(main(owner).get_by_text("Overdue: it was due on")).to_be_visible()
        # The actions table's "Overdue only" filter finds it too.
        click(main(owner).get_by_role("button", name="Back to the list"))
        table = owner.get_by_role("tabpanel", name="Table")
        click(table.get_by_role("button", name="Filters"))
        click(owner.get_by_test_id("stPopoverBody").get_by_text("Overdue only"))
        expect(
            table.get_by_role("button", name="Filters (1)")
        ).to_be_visible()  # counted on the panel's button
        owner.keyboard.press("Escape")  # closed, the filter still applies
        fill_text(table.get_by_role("textbox", name="Search"), OUTCOME)
        wait_idle(owner)
        expect(table.get_by_test_id("stDataFrame").first.locator("table")).to_contain_text(OUTCOME)
        assert_no_exception(owner)
    finally:
        stop_server(future)
    assert_clean_log(future)
