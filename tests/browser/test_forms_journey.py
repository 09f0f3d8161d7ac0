"""Issue 17 in Chromium: forms that do not lose work.

The attachment form keeps the chosen file, caption and ticks after a refusal
(item 13), and the invitation form either picks an existing person or takes a
new one, never both and never a duplicate (item 3).
"""

from __future__ import annotations

import struct
import uuid
import zlib
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from tests.browser.conftest import DEMO_PASSWORD, Server
from tests.browser.helpers import assert_no_exception
from tests.browser.journeys import assert_clean_log, click, enter, fill_text, go, main

pytestmark = pytest.mark.e2e


def _png(path: Path) -> Path:
    """A real one-pixel PNG, so the upload passes the type check."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
    return path


def _open_new_workshop(page: Page, server: Server) -> str:
    """Record a study visit today through the service and open it from the calendar."""
    from cop.accounts import service as accounts
    from cop.communities import service as communities
    from cop.core import db
    from cop.workshops import service as workshops

    day = datetime.now(ZoneInfo("Europe/Brussels")).date()
    title = f"Visit to the welcome centre {uuid.uuid4().hex[:6]}"
    with db.write_session(db.get_engine(server.database_url)) as session:
        facilitator = accounts.load_actor(session, username="facilitator")
        community = communities.get_by_slug(session, facilitator, "welcoming-culture")
        workshops.record_workshop(
            session,
            facilitator,
            community_id=community.id,
            title=title,
            kind="study_visit",
            format="in_person",
            place="Zagreb",
            starts_at=datetime.combine(day, time(9)),
            ends_at=datetime.combine(day, time(17)),
            time_zone="Europe/Brussels",
        )
    enter(page, server.url, "facilitator", DEMO_PASSWORD)
    go(page, "Workshops")
    click(main(page).get_by_role("radio", name="Calendar"))
    click(main(page).get_by_role("link", name=title))
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    return title


def test_attachment_form_keeps_file_caption_and_ticks_after_a_consent_error(
    demo, new_context, tmp_path: Path
) -> None:
    page = new_context().new_page()
    title = _open_new_workshop(page, demo)
    click(page.get_by_role("tab", name="Attachments"))
    panel = page.get_by_role("tabpanel", name="Attachments")
    photo = _png(tmp_path / "welcome-desk.png")
    panel.locator("input[type=file]").set_input_files(photo)
    expect(panel.get_by_text("welcome-desk.png")).to_be_visible()
    panel.get_by_label("Caption").fill("The welcome desk on opening day")
    panel.get_by_text("The photo shows people", exact=True).click()
    click(panel.get_by_role("button", name="Attach"))

    # Refused: the message stands under the consent box, and nothing typed or chosen is lost.
    expect(
        panel.get_by_test_id("stAlert")
        .filter(has_text="Confirm that the people shown agreed to the photo being shared.")
        .last
    ).to_be_visible()
    expect(panel.get_by_label("Caption")).to_have_value("The welcome desk on opening day")
    expect(panel.get_by_role("checkbox", name="The photo shows people")).to_be_checked()
    expect(panel.get_by_role("button", name="Remove welcome-desk.png")).to_be_visible()

    panel.get_by_text("The people shown agreed to the photo being shared", exact=True).click()
    click(panel.get_by_role("button", name="Attach"))
    expect(panel.get_by_text("The welcome desk on opening day").first).to_be_visible()
    expect(panel.get_by_text("welcome-desk.png · ").first).to_be_visible()
    # Saved: the form is empty again for the next file.
    expect(panel.get_by_label("Caption")).to_have_value("")
    expect(panel.get_by_role("button", name="Remove welcome-desk.png")).to_have_count(0)
    assert_no_exception(page)

    with sa.create_engine(demo.database_url).connect() as conn:
        stored = conn.execute(
            sa.text(
                "SELECT a.caption, a.shows_people, a.consent_confirmed FROM attachment a "
                "JOIN workshop w ON w.id = a.workshop_id WHERE w.title = :title"
            ),
            {"title": title},
        ).all()
    assert [tuple(row) for row in stored] == [("The welcome desk on opening day", 1, 1)]
    assert_clean_log(demo)


def _people_without_accounts(server: Server, *names: str) -> dict[str, str]:
    """People in the directory (no account yet), each with an e-mail address; name -> e-mail."""
    from cop.communities import people
    from cop.core import db
    from cop.core.permissions import SYSTEM

    made = {}
    with db.write_session(db.get_engine(server.database_url)) as session:
        for name in names:
            email = f"{name.split()[0].lower()}.{uuid.uuid4().hex[:6]}@example.org"
            people.create_person(session, SYSTEM, name=name, email=email)
            made[name] = email
    return made


def _stored(server: Server, sql: str, **params: str) -> list[tuple]:
    with sa.create_engine(server.database_url).connect() as conn:
        return [tuple(row) for row in conn.execute(sa.text(sql), params).all()]


def test_invitation_form_picks_an_existing_person_or_takes_a_new_one_never_a_duplicate(
    demo, new_context
) -> None:
    tag = uuid.uuid4().hex[:4]
    jonas, mirela = f"Jonas Berg {tag}", f"Mirela Kovač {tag}"
    emails = _people_without_accounts(demo, jonas, mirela)
    page = new_context().new_page()
    enter(page, demo.url, "admin", DEMO_PASSWORD)
    go(page, "Admin")
    click(page.get_by_role("tab", name="Invitations"))
    tab = page.get_by_role("tabpanel", name="Invitations")

    # 1. Picking a person shows their name and e-mail, not editable, and the link is made for them.
    click(tab.get_by_text("A person already in the workspace", exact=True))
    fill_text(tab.get_by_label("Find a person by name or e-mail"), jonas)
    form = tab.get_by_test_id("stForm")
    expect(form.get_by_label("Name")).to_have_value(jonas)
    expect(form.get_by_label("Name")).to_be_disabled()
    expect(form.get_by_label("E-mail")).to_have_value(emails[jonas])
    expect(form.get_by_label("E-mail")).to_be_disabled()
    click(form.get_by_role("button", name="Create invitation link"))
    expect(tab.get_by_text(f"Send this link to {jonas}.", exact=False)).to_be_visible()
    expect(tab.get_by_test_id("stCode")).to_contain_text("?invite=")

    # 2. Typing the details of someone already there is refused under the e-mail, offering them.
    click(tab.get_by_text("Someone new", exact=True))
    form = tab.get_by_test_id("stForm")
    form.get_by_label("Name").fill("M. Kovač")
    form.get_by_label("E-mail").fill(emails[mirela].upper())
    click(form.get_by_role("button", name="Create invitation link"))
    expect(
        tab.get_by_test_id("stAlert")
        .filter(has_text=f"{mirela} is already in the workspace with this e-mail address")
        .last
    ).to_be_visible()
    click(tab.get_by_role("button", name="Choose the person with this e-mail instead"))
    form = tab.get_by_test_id("stForm")
    expect(form.get_by_label("Name")).to_have_value(mirela)
    click(form.get_by_role("button", name="Create invitation link"))
    expect(tab.get_by_text(f"Send this link to {mirela}.", exact=False)).to_be_visible()

    # 3. Someone new is only what was typed: no pick can hide behind it.
    click(tab.get_by_text("Someone new", exact=True))
    form = tab.get_by_test_id("stForm")
    expect(form.get_by_label("Name")).to_be_enabled()
    expect(form.get_by_label("Name")).to_have_value("")
    newcomer = f"Zeynep Çelik {tag}"
    form.get_by_label("Name").fill(newcomer)
    form.get_by_label("E-mail").fill(f"zeynep.{tag}@example.org")
    click(form.get_by_role("button", name="Create invitation link"))
    expect(tab.get_by_text(f"Send this link to {newcomer}.", exact=False)).to_be_visible()
    # Saved: the form is empty for the next person.
    form = tab.get_by_test_id("stForm")
    expect(form.get_by_label("Name")).to_have_value("")
    expect(form.get_by_label("E-mail")).to_have_value("")
    assert_no_exception(page)

    invited = _stored(
        demo,
        "SELECT i.name, i.email, p.name FROM invitation i LEFT JOIN person p ON p.id = i.person_id "
        "WHERE i.name LIKE :tag ORDER BY i.id",
        tag=f"%{tag}",
    )
    assert invited == [
        (jonas, emails[jonas], jonas),
        (mirela, emails[mirela], mirela),
        (newcomer, f"zeynep.{tag}@example.org", None),
    ]
    people = _stored(
        demo, "SELECT name FROM person WHERE name LIKE :tag ORDER BY name", tag=f"%{tag}"
    )
    assert people == [(jonas,), (mirela,)]
    assert_clean_log(demo)


def test_adding_a_member_empties_the_search_box(demo, new_context) -> None:
    """Issue 17: after a save the member search kept the name, ready to add them again."""
    tag = uuid.uuid4().hex[:4]
    oksana = f"Oksana Melnyk {tag}"
    _people_without_accounts(demo, oksana)
    page = new_context().new_page()
    enter(page, demo.url, "admin", DEMO_PASSWORD)
    go(page, "Admin")
    click(page.get_by_role("tab", name="Communities & memberships"))
    tab = page.get_by_role("tabpanel", name="Communities & memberships")
    search = tab.get_by_label("Find a person by name or e-mail")
    fill_text(search, oksana)
    click(tab.get_by_role("button", name="Add", exact=True))
    expect(search).to_have_value("")
    expect(tab.get_by_role("button", name="Add", exact=True)).to_have_count(0)
    assert_no_exception(page)
    members = _stored(
        demo,
        "SELECT p.name FROM membership m JOIN person p ON p.id = m.person_id "
        "WHERE p.name = :name AND m.deleted_at IS NULL",
        name=oksana,
    )
    assert members == [(oksana,)]


def test_agenda_form_keeps_input_after_a_refusal_and_empties_after_a_save(
    demo, new_context
) -> None:
    """The agenda form cleared on every submit: a refused item lost its presenter and length."""
    page = new_context().new_page()
    _open_new_workshop(page, demo)
    panel = page.get_by_role("tabpanel", name="Agenda")
    panel.get_by_label("Presenter").fill("Ana from the volunteer centre")
    click(panel.get_by_role("button", name="Add to the agenda"))
    expect(panel.get_by_text("The title must not be empty.").first).to_be_visible()
    expect(panel.get_by_label("Presenter")).to_have_value("Ana from the volunteer centre")

    panel.get_by_label("Agenda item").fill("Welcome at the volunteer centre")
    click(panel.get_by_role("button", name="Add to the agenda"))
    expect(
        panel.get_by_text("Welcome at the volunteer centre · Ana from the volunteer centre")
    ).to_be_visible()
    expect(panel.get_by_label("Agenda item")).to_have_value("")
    expect(panel.get_by_label("Presenter")).to_have_value("")
    assert_no_exception(page)
