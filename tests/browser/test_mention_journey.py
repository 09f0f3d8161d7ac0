"""Issue 20, item 3 in Chromium: a mention typed with the editor's autocomplete reaches the member.

Member A opens the draft chapter and comments on a section: typing ``@`` and letters of member
B's name offers B, Enter writes ``@Name`` into the comment. B, who chose one e-mail each, gets
the e-mail at a local SMTP server (aiosmtpd) started by the test, sent by the server's own
background sender from the outbox; signed in, B sees the notification on Home with the unread
count, and "Mark all read" empties the inbox.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, Server, stop_server
from tests.browser.helpers import assert_no_exception, wait_idle
from tests.browser.journeys import (
    assert_clean_log,
    click,
    create_accounts,
    demo_server,
    enter,
    eventually,
    go,
    main,
    pick_community,
)
from tests.outbox.conftest import SmtpServer, free_port

pytestmark = pytest.mark.e2e

COMMUNITY = "Community building and welcoming culture"


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, smtp: SmtpServer) -> Iterator[Server]:
    running = demo_server(tmp_path_factory.mktemp("mention"), extra_env={"COP_SMTP_URL": smtp.url})
    yield running
    stop_server(running)
    assert_clean_log(running)


def _wants_each_e_mail(database_url: str, username: str, email: str) -> None:
    """What B chose in their profile: one e-mail for each notification, to ``email``."""
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE \"user\" SET email_delivery = 'immediate' WHERE username = :u"),
            {"u": username},
        )
        conn.execute(
            sa.text(
                "UPDATE person SET email = :e WHERE id ="
                ' (SELECT person_id FROM "user" WHERE username = :u)'
            ),
            {"e": email, "u": username},
        )
    engine.dispose()


def test_a_member_mentioned_with_the_autocomplete_reads_it_in_the_inbox_and_by_e_mail(
    server: Server, smtp: SmtpServer, new_context
) -> None:
    tag = uuid.uuid4().hex[:6]
    writer, reader = f"ada{tag}", f"bea{tag}"
    create_accounts(server.database_url, [writer, reader], DEMO_PASSWORD)
    address = f"bea.{tag}@example.org"
    _wants_each_e_mail(server.database_url, reader, address)
    name = f"Test person {reader}"

    page = new_context().new_page()
    enter(page, server.url, writer, DEMO_PASSWORD)
    pick_community(page, COMMUNITY)
    go(page, "Toolkit")
    draft = page.get_by_role("tabpanel", name="Draft")
    click(draft.get_by_role("button", name="Add a comment").first)
    box = page.get_by_role("textbox", name="Add a comment", exact=True)
    expect(box).to_be_visible()
    box.press_sequentially("Could you check the figures, @b")
    expect(page.get_by_test_id("copMentionList")).to_be_hidden()  # one letter offers nobody
    box.press_sequentially(f"ea{tag[:2]}")
    offered = page.get_by_role("option", name=name, exact=True)
    expect(offered).to_be_visible()
    # The text box names the option in focus for a screen reader (it may not say aria-expanded).
    expect(box).to_have_attribute("aria-activedescendant", offered.get_attribute("id") or "")
    box.press("Enter")
    box.press_sequentially("please?")
    expect(box).to_have_value(f"Could you check the figures, @{name} please?")
    expect(page.get_by_test_id("copMentionList")).to_be_hidden()
    click(page.get_by_role("button", name="Comment", exact=True))
    expect(draft.get_by_text(f"Could you check the figures, @{name} please?")).to_be_visible()
    assert_no_exception(page)

    def mailed() -> list[str]:
        return [str(m["Subject"]) for m in list(smtp.inbox.messages) if m["To"] == address]

    eventually(lambda: bool(mailed()), "the mention's e-mail at the SMTP server", timeout=30)
    (subject,) = mailed()
    assert f"Test person {writer} mentioned you in a comment on" in subject

    other = new_context().new_page()
    enter(other, server.url, reader, DEMO_PASSWORD)
    home = main(other)
    expect(other.get_by_test_id("stSidebar").get_by_text("1 unread in your inbox")).to_be_visible()
    expect(home.get_by_role("heading", name="Inbox (1 unread)")).to_be_visible()
    expect(home.get_by_text("You were mentioned")).to_be_visible()
    expect(
        home.get_by_text(re.compile(f"Test person {writer} mentioned you in a comment"))
    ).to_be_visible()
    click(home.get_by_role("button", name="Mark all read"))
    # The page runs again after the press; on a busy machine that may take a while.
    expect(home.get_by_role("heading", name="Inbox (0 unread)")).to_be_visible(timeout=30_000)
    expect(home.get_by_text("No unread notifications.")).to_be_visible()
    wait_idle(other)
    assert_no_exception(other)


def _own_action(database_url: str, username: str, title: str) -> int:
    """An action of the community owned by ``username``: theirs to post updates on."""
    import cop.registry  # noqa: F401
    from cop.accounts import service as accounts
    from cop.actions import service as actions
    from cop.communities import service as communities
    from cop.core import clock, db
    from cop.core.permissions import SYSTEM

    with db.write_session(db.get_engine(database_url)) as session:
        community = communities.get_by_slug(session, SYSTEM, "welcoming-culture")
        owner = accounts.find_user(session, username)
        assert owner is not None and owner.person_id is not None
        action = actions.create_action(
            session,
            SYSTEM,
            community_id=community.id,  # type: ignore[arg-type]
            title=title,
            owner_person_id=owner.person_id,
            due_date=clock.today() + timedelta(days=14),
        )
        assert action.id is not None
        return action.id


def _mentions_of(database_url: str, username: str) -> list[str]:
    """The notifications of kind "mention" in ``username``'s inbox, as stored."""
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                'SELECT n.kind FROM notification n JOIN "user" u ON u.id = n.user_id'
                " WHERE u.username = :u AND n.kind = 'mention'"
            ),
            {"u": username},
        ).all()
    engine.dispose()
    return [row[0] for row in rows]


def test_a_member_mentioned_in_an_action_update_with_the_keyboard_finds_it_in_the_inbox(
    server: Server, new_context
) -> None:
    tag = uuid.uuid4().hex[:6]
    # Two members whose names start alike: "@qx" offers both, the arrow key picks the second.
    writer, first, second = f"upd{tag}", f"qxa{tag}", f"qxb{tag}"
    create_accounts(server.database_url, [writer, first, second], DEMO_PASSWORD)
    title = f"Welcome walks {tag}"
    action_id = _own_action(server.database_url, writer, title)
    name = f"Test person {second}"

    page = new_context().new_page()
    enter(page, server.url, writer, DEMO_PASSWORD)
    page.goto(f"{server.url}/actions?id={action_id}")
    wait_idle(page)
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    updates = page.get_by_role("tabpanel", name="Updates")
    box = updates.get_by_role("textbox", name="Update (Markdown)", exact=True)
    expect(box).to_be_visible()
    box.press_sequentially("Route walked with @qx")
    listed = page.get_by_test_id("copMentionList")
    expect(listed.get_by_role("option")).to_have_count(2)
    expect(listed.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")
    offered = listed.get_by_role("option", name=name, exact=True)
    expect(offered).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", offered.get_attribute("id") or "")
    box.press("Enter")
    expect(listed).to_be_hidden()
    box.press_sequentially("today.")
    text = f"Route walked with @{name} today."
    expect(box).to_have_value(text)
    click(updates.get_by_role("button", name="Post update"))
    posted = updates.get_by_test_id("stMarkdownContainer").filter(has_text=text)
    expect(posted).to_be_visible()
    expect(box).to_have_value("")  # the form empties after the post
    assert_no_exception(page)
    assert _mentions_of(server.database_url, first) == []  # offered, not picked

    other = new_context().new_page()
    enter(other, server.url, second, DEMO_PASSWORD)
    home = main(other)
    expect(home.get_by_role("heading", name="Inbox (1 unread)")).to_be_visible()
    expect(
        home.get_by_text(f"Test person {writer} mentioned you in an update of “{title}”.")
    ).to_be_visible()
    wait_idle(other)
    assert_no_exception(other)
