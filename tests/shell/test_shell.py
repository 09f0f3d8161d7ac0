"""The app shell: the gate, the guard on every page, role-aware navigation."""

from __future__ import annotations

import pytest

from cop.accounts import service as accounts
from cop.core.db import write_session
from cop.shell.navigation import PAGES
from tests.factories import sub_actions
from tests.page_fixtures import texts

ROLES = ["admin", "facilitator", "member", "observer"]


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("page", [p for p in PAGES if p != "admin"])
def test_every_page_renders_for_every_role(run_page, page: str, username: str) -> None:
    at = run_page(page, username)
    assert not at.exception, at.exception
    assert at.title, f"{page} drew no title for {username}"


def test_admin_page_refuses_non_admins_politely(run_page) -> None:
    for username in ("facilitator", "member", "observer"):
        at = run_page("admin", username)
        assert not at.exception
        assert "for workspace administrators" in texts(at)


def test_admin_page_renders_for_admin(run_page) -> None:
    at = run_page("admin", "admin")
    assert not at.exception
    assert "for workspace administrators" not in texts(at)


@pytest.mark.parametrize("page", [p for p, spec in PAGES.items() if not spec.public])
def test_page_opened_without_sign_in_shows_only_the_sign_in(run_page, page: str) -> None:
    at = run_page(page, username=None)
    assert not at.exception
    assert "Sign in" in texts(at)
    assert "Welcome" not in texts(at)
    assert not at.dataframe


def test_deactivated_user_is_sent_back_to_sign_in_on_next_run(run_page, demo_db) -> None:
    at = run_page("home", "member")
    assert "Welcome" in texts(at)
    with write_session() as session:
        user = accounts.find_user(session, "member")
        user.active = False
        session.add(user)
    at.run()
    assert "Sign in" in texts(at)
    assert "Welcome" not in texts(at)


def test_session_signed_in_before_sign_out_elsewhere_is_refused(run_page, demo_db) -> None:
    at = run_page("home", "member")
    with write_session() as session:
        user = accounts.find_user(session, "member")
        accounts.end_sessions(session, user.id)
    at.run()
    assert "Sign in" in texts(at)


def test_navigation_lists_admin_page_only_for_admins(run_page) -> None:
    from cop.core.db import read_session
    from cop.shell.navigation import visible_pages

    with read_session() as session:
        member = accounts.load_actor(session, username="member")
        admin = accounts.load_actor(session, username="admin")
    assert "admin" not in [p.key for p in visible_pages(member)]
    assert "admin" in [p.key for p in visible_pages(admin)]


def test_home_shows_my_communities_with_members(run_page) -> None:
    at = run_page("home", "member")
    mine = at.dataframe[0].value
    row = mine[mine["Community"] == "Community building and welcoming culture"].iloc[0]
    assert row["Your role"] == "member" and row["People"] > 0
    assert len(row["Actions by status"]) == 5  # bars for idea, planned, in progress, done, dropped
    assert "Volunteers engaging young migrants" not in set(
        mine["Community"]
    )  # private, not a member
    assert "Volunteers engaging young migrants" not in texts(at)


def test_home_shows_an_action_assigned_elsewhere_on_the_next_run(run_page, demo_db) -> None:
    """The home page caches its figures per data_version: a write anywhere must show at once."""
    from datetime import timedelta

    from cop.actions import service as actions
    from cop.communities import service as communities
    from cop.core import clock

    at = run_page("home", "member")
    title = "Open a welcome desk at the station"
    assert title not in texts(at)
    with write_session() as session:
        facilitator = accounts.load_actor(session, username="facilitator")
        member = accounts.load_actor(session, username="member")
        community = communities.get_by_slug(session, facilitator, "welcoming-culture")
        actions.create_action(
            session,
            facilitator,
            community_id=community.id,
            title=title,
            owner_person_id=member.person_id,
            due_date=clock.today() + timedelta(days=3),
        )
    at.run()
    assert not at.exception
    assert any(title in link.label for link in at.get("page_link")) or title in texts(at)


def test_home_says_a_due_parent_s_progress_comes_from_its_sub_actions(run_page, demo_db) -> None:
    """Issue 17 item 14 on the home page: the roll-up is labelled, written like everywhere else."""
    from datetime import timedelta

    from cop.actions import service as actions
    from cop.communities import service as communities
    from cop.core import clock

    title = "Open welcome desks at three stations"
    with write_session() as session:
        facilitator = accounts.load_actor(session, username="facilitator")
        member = accounts.load_actor(session, username="member")
        community = communities.get_by_slug(session, facilitator, "welcoming-culture")
        parent = actions.create_action(
            session,
            facilitator,
            community_id=community.id,
            title=title,
            owner_person_id=member.person_id,
            due_date=clock.today() + timedelta(days=3),
        )
        sub_actions(
            session,
            facilitator,
            parent,
            title="Desk",
            owner_person_id=facilitator.person_id,
            due_date=clock.today() + timedelta(days=90),
        )
    at = run_page("home", "member")
    assert not at.exception
    lines = [line for line in texts(at).splitlines() if title in line]
    assert lines and "10 % (from 3 sub-actions)" in lines[0], lines


def test_links_in_the_page_wrap_instead_of_being_cut_at_the_edge_of_a_phone(run_page) -> None:
    """Streamlit draws a page link on one line and cuts it (a workshop's date lost on a phone)."""
    at = run_page("home", "facilitator")
    styles = [h.proto.body for h in at.get("html")]
    assert any("stPageLink" in s and "white-space:normal" in s for s in styles), styles
