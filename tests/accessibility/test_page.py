"""Issue 23: the accessibility statement opens without signing in, draws from the last check,
and its feedback form sends a message to the admins (AppTest)."""

from __future__ import annotations

from sqlmodel import select

from cop.accessibility.models import AccessibilityFeedback
from cop.accessibility.statement import last_check
from cop.core.db import read_session
from cop.shell.navigation import PAGES, visible_pages
from tests.page_fixtures import texts


def test_the_statement_opens_without_sign_in_and_takes_feedback(run_page) -> None:
    at = run_page("accessibility", username=None)
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Accessibility statement" in shown and "Sign in" not in shown
    assert "Known gaps" in shown and "Partially conformant" in shown
    check = last_check()
    assert check is not None, "docs/accessibility.json is missing: run make a11y"
    assert f"over {check.states} pages and states" in shown

    at.text_area[0].input("The board cannot be moved with the keyboard.")
    at.text_input[0].input("Actions, board")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert [m.value for m in at.success] == ["Thank you: your message reached the administrators."]
    with read_session() as s:
        (stored,) = s.exec(select(AccessibilityFeedback)).all()
    assert stored.where == "Actions, board" and stored.user_id is None


def test_an_empty_message_is_refused_under_its_field(run_page) -> None:
    at = run_page("accessibility", username=None)
    at.button[0].click().run()
    assert "Your message must not be empty." in texts(at)


def test_the_statement_is_in_every_role_s_navigation_and_speaks_german(run_page, demo_db) -> None:
    from cop.accounts import service as accounts
    from cop.core.db import write_session
    from cop.core.permissions import Actor

    assert PAGES["accessibility"] in visible_pages(Actor(user_id=9, username="o", name="O"))
    at = run_page("accessibility", "admin")
    assert not at.exception, at.exception
    assert at.sidebar.button, "no sidebar (sign-out) for a signed-in reader"
    with write_session() as s:
        user = accounts.find_user(s, "observer")
        assert user is not None
        user.language = "de"
        s.add(user)
    at = run_page("accessibility", "observer")
    assert "Erklärung zur Barrierefreiheit" in texts(at)
    assert "Bekannte Lücken" in texts(at)


def test_the_statement_is_linked_from_every_page_one_sees_signed_out(run_page, demo_db) -> None:
    """Signed out there is no navigation: the sign-in page and an invitation's sign-up page each
    link the statement under their form (signed in, it is in every page's navigation above)."""
    from urllib.parse import parse_qs, urlsplit

    from cop.accounts import invitations
    from cop.accounts import service as accounts
    from cop.communities import service as communities
    from cop.core.db import write_session

    def linked(at) -> bool:  # noqa: ANN001
        return any(
            link.label == "Accessibility statement" and "accessibility" in str(link.proto.page)
            for link in at.get("page_link")
        )

    at = run_page("app", username=None)
    assert not at.exception, at.exception
    assert "Sign in" in texts(at) and linked(at), "no link to the statement on the sign-in page"
    with write_session() as s:
        admin = accounts.load_actor(s, username="admin")
        community = communities.get_by_slug(s, admin, "welcoming-culture")
        issued = invitations.invite(
            s, admin, community_id=community.id, name="Amira Haddad", email="amira@example.org"
        )
    token = parse_qs(urlsplit(issued.link).query)["invite"][0]
    at = run_page("app", username=None, query={"invite": token})
    assert not at.exception, at.exception
    assert "You are invited to" in texts(at)
    assert linked(at), "no link to the statement on the invitation's sign-up page"
