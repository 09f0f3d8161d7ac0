"""The Toolkit page's "Published website" panel, per role, and a publish pressed on it."""

from __future__ import annotations

from sqlmodel import select

from cop.accounts.models import User
from cop.core.db import read_session, write_session
from cop.publishing import service as publishing
from tests.page_fixtures import texts


def _labels(at) -> list[str]:  # noqa: ANN001
    return [b.label for b in at.button]


def test_admin_publishes_the_edition_and_the_page_says_which_version_is_online(run_page) -> None:  # noqa: ANN001
    at = run_page("toolkit", "admin")
    assert not at.exception, at.exception
    assert "Online: version 2" in texts(at)  # the demo published its editions
    at.button(key="publish-edition").click().run(timeout=120)
    assert not at.exception, at.exception
    with read_session() as s:
        online = publishing.latest_publication(s, 1)
    assert online is not None and online.number == 3
    at.run()
    assert "Online: version 3" in texts(at)
    links = [b.proto.url for b in at.get("link_button")]
    assert "/published/1/index.html" in links and "/published/1.zip" in links


def test_a_facilitator_may_publish_their_approved_chapter_only(run_page) -> None:  # noqa: ANN001
    at = run_page("toolkit", "facilitator")
    assert not at.exception, at.exception
    labels = _labels(at)
    assert "Publish the edition" not in labels
    assert "Publish Community building and welcoming culture" in labels


def test_a_member_and_an_observer_see_what_is_online_without_a_publish_button(run_page) -> None:  # noqa: ANN001
    for username in ("member", "observer"):
        at = run_page("toolkit", username)
        assert not at.exception, at.exception
        assert "Published website" in [e.label for e in at.expander]
        assert not [b for b in _labels(at) if b.startswith("Publish")]


def test_the_german_panel_is_in_german(run_page) -> None:  # noqa: ANN001
    with write_session() as s:
        user = s.exec(select(User).where(User.username == "admin")).one()
        user.language = "de"
    at = run_page("toolkit", "admin")
    assert not at.exception, at.exception
    assert "Veröffentlichte Website" in [e.label for e in at.expander]
    assert "Ausgabe veröffentlichen" in _labels(at)
