"""The interface in German: for a user who chose German, and for a German browser before sign-in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from cop.accounts import profile
from cop.accounts import service as accounts
from cop.actions import service as actions
from cop.communities.models import Community
from cop.core.db import read_session, write_session
from cop.core.i18n_catalog import compile_all
from tests.page_fixtures import ROOT, TIMEOUT, as_shown, texts

ENGLISH_NAVIGATION = ["Sign out", "All my communities", "Signed in as"]


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogs() -> None:
    """The pages load the compiled .mo files; make writes them, a fresh checkout may lack them."""
    compile_all()


def choose_language(username: str, language: str) -> None:
    """Save the language through the profile service, as the profile page does."""
    with read_session() as session:
        actor = accounts.load_actor(session, username=username)
        assert actor is not None
        mine = profile.my_profile(session, actor)
    with write_session() as session:
        profile.update_own_profile(
            session,
            actor,
            name=mine.name,
            email=mine.email,
            language=language,
            time_zone=mine.time_zone,
            person_version=mine.person_version,
            user_version=mine.user_version,
        )


def community_id(slug: str) -> int:
    with read_session() as session:
        return session.exec(select(Community.id).where(Community.slug == slug)).one()  # type: ignore[return-value]


def sidebar_texts(at: AppTest) -> str:
    parts = [b.label for b in at.sidebar.button] + [c.value for c in at.sidebar.caption]
    parts += [s.label for s in at.sidebar.selectbox] + [
        str(o) for s in at.sidebar.selectbox for o in s.options
    ]
    return "\n".join(parts)


def test_home_page_is_german_for_a_user_who_chose_german(run_page: Callable[..., AppTest]) -> None:
    choose_language("member", "de")
    at = run_page("home", "member")
    assert not at.exception, at.exception
    page = texts(at)
    assert "Willkommen" in at.title[0].value
    for heading in (
        "Meine Communities",
        "Meine fälligen Aktionen",
        "Anstehende Workshops",
        "Letzte Aktivitäten",
    ):
        assert heading in page
    assert "My communities" not in page and "Upcoming workshops" not in page
    sidebar = sidebar_texts(at)
    assert (
        "Abmelden" in sidebar
        and "Alle meine Communities" in sidebar
        and "Angemeldet als" in sidebar
    )
    for english in ENGLISH_NAVIGATION:
        assert english not in sidebar


def test_workshops_page_is_german_for_a_user_who_chose_german(
    run_page: Callable[..., AppTest],
) -> None:
    choose_language("facilitator", "de")
    at = run_page("workshops", "facilitator")
    assert not at.exception, at.exception
    assert at.title[0].value == "Workshops und Besuche"
    assert "Filter, Sortierung und Export" in [b.proto.popover.label for b in at.get("popover")]
    at.session_state["ws_filters_open"] = True
    at.run()
    labels = {w.label for w in [*at.selectbox, *at.text_input, *at.date_input]}
    assert {
        "Art",
        "Format",
        "Status",
        "Gastgebende Stadt",
        "Von",
        "Bis",
        "Sortieren nach",
        "Suche",
    } <= labels
    assert not {"Kind", "Host city", "Sort by", "From", "To"} & labels
    kinds = next(s for s in at.selectbox if s.label == "Art")
    assert "Studienbesuch" in kinds.options and "Study visit" not in kinds.options
    assert "Workshops und Besuche" in texts(at)  # the count caption
    for english in ENGLISH_NAVIGATION:
        assert english not in sidebar_texts(at)


def test_the_same_page_stays_english_for_other_users(run_page: Callable[..., AppTest]) -> None:
    choose_language("member", "de")
    at = run_page("home", "facilitator")
    assert not at.exception, at.exception
    assert "My communities" in texts(at)
    assert "Sign out" in sidebar_texts(at)


def test_workshop_dates_follow_the_language(run_page: Callable[..., AppTest]) -> None:
    choose_language("facilitator", "de")
    at = run_page("workshops", "facilitator", query=None)
    table = at.dataframe[0].value
    starts = [value for value in table["Beginnt"] if value]
    assert starts, "the demo workspace has workshops"
    # German medium dates: 12.03.2026, 10:00
    assert all(value[2] == "." and value[5] == "." for value in starts), starts[:3]


@pytest.mark.usefixtures("demo_db")
def test_sign_in_page_follows_a_german_browser() -> None:
    at = AppTest.from_file(str(ROOT / "pages" / "home.py"), default_timeout=TIMEOUT)
    at.context["locale"] = "de-AT"
    at.run()
    assert not at.exception, at.exception
    page = texts(at)
    assert "Anmelden" in page
    assert {"Benutzername", "Passwort"} <= {t.label for t in at.text_input}
    assert "Anmelden" in [b.label for b in at.button]


@pytest.mark.usefixtures("demo_db")
def test_sign_in_page_is_english_for_other_browsers() -> None:
    at = AppTest.from_file(str(ROOT / "pages" / "home.py"), default_timeout=TIMEOUT)
    at.context["locale"] = "fr-FR"
    at.run()
    assert not at.exception, at.exception
    assert {"Username", "Password"} <= {t.label for t in at.text_input}


def test_a_german_user_sees_form_messages_in_german_under_the_field(
    run_page: Callable[..., AppTest],
) -> None:
    choose_language("member", "de")
    at = run_page("practices", "member")
    at.session_state["cop_community_id"] = community_id("welcoming-culture")
    at.session_state["practices_new_open"] = True
    at.run()
    assert not at.exception, at.exception
    tab = at.tabs[0]
    next(t for t in tab.text_input if t.label == "Erreichte Personen").input("-3")
    next(b for b in tab.button if b.label == "Speichern").click().run()
    assert not at.exception, at.exception
    errors = [as_shown(str(e.value)) for e in at.error]
    assert "Der Titel darf nicht leer sein." in errors  # under the title field
    assert "Wählen Sie eine Stadt, die im Arbeitsbereich existiert." in errors
    assert any("zwischen 0 und 100.000.000 liegen" in e for e in errors)  # German digit grouping
    banner = next(e for e in errors if e.startswith("Nichts wurde gespeichert."))
    assert "- Der Titel darf nicht leer sein." in banner
    assert not [e for e in errors if "must not be empty" in e or "Choose a city" in e]


def _assign_an_action_to_member() -> None:
    """The facilitator (reading English) assigns an action to the member: a stored notification."""
    with read_session() as session:
        facilitator = accounts.load_actor(session, username="facilitator")
        member = accounts.load_actor(session, username="member")
    assert facilitator is not None and member is not None and member.person_id is not None
    shared = next(c for c in member.roles if c in facilitator.roles)
    with write_session() as session:
        actions.create_action(
            session,
            facilitator,
            community_id=shared,
            title="Welcome desk",
            owner_person_id=member.person_id,
            due_date=date(2027, 5, 31),
        )


def test_a_stored_notification_and_the_role_read_german(run_page: Callable[..., AppTest]) -> None:
    _assign_an_action_to_member()
    choose_language("member", "de")
    at = run_page("home", "member")
    assert not at.exception, at.exception
    inbox = as_shown(next(m.value for m in at.markdown if "Welcome desk" in m.value))
    assert "Ihnen wurde eine Aktion zugewiesen" in inbox
    assert "31.05.2027" in inbox  # the due date as German writes it
    for english in ("was assigned", "assigned to you", "due"):
        assert english not in inbox, inbox
    sidebar = sidebar_texts(at)
    assert "Mitglied" in sidebar
    assert "member" not in sidebar, sidebar


def test_the_same_notification_reads_english_for_an_english_reader(
    run_page: Callable[..., AppTest],
) -> None:
    _assign_an_action_to_member()
    at = run_page("home", "member")
    inbox = as_shown(next(m.value for m in at.markdown if "Welcome desk" in m.value))
    assert "was assigned to you" in inbox and "May 31, 2027" in inbox
    assert "Member" in sidebar_texts(at)
