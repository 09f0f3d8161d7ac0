"""Issue 18, finding 2: every search and filter box stops typing at the service's limit.

A million pasted characters kept the server busy for minutes; the services now refuse
text over ``LIMITS.search_max`` (cop.core.validation, ``Checker.search``), and each box
that feeds one is drawn with that same ``max_chars``, so a person cannot type or paste
past what the service takes (and sees no refusal for a length the box allowed).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from cop.core.settings import LIMITS

# (page, who, session state to set first, the box's label): the boxes that feed a search service.
BOXES = [
    ("practices", "facilitator", {}, "Search"),
    ("workshops", "facilitator", {}, "Search"),
    ("actions", "facilitator", {}, "Search"),
    # Without a community the tag is typed, in the filter panel (drawn only while open).
    ("actions", "facilitator", {"act_filters_open": True}, "Tag"),
    ("organisations", "facilitator", {}, "Search"),
    (
        "search",
        "facilitator",
        {},
        "Search workshops, actions, practices, standards and toolkit sections",
    ),
    ("admin", "admin", {}, "Search by username, name or e-mail"),
    # The Administration page draws only its open tab.
    ("admin", "admin", {"admin_tab": "Audit log"}, "Who (username)"),
    (
        "admin",
        "admin",
        {"admin_tab": "Communities & memberships"},
        "Find a person by name or e-mail",
    ),  # people search: members
]


def _boxes(at: AppTest, label: str) -> list:  # noqa: ANN401
    return [box for box in at.text_input if box.label == label]


@pytest.mark.parametrize(
    ("page", "username", "state", "label"),
    BOXES,
    ids=[f"{page}-{label}" for page, _u, _s, label in BOXES],
)
def test_each_search_and_filter_box_stops_at_the_services_limit(
    run_page: Callable[..., AppTest], page: str, username: str, state: dict, label: str
) -> None:
    at = run_page(page, username)
    for key, value in state.items():
        at.session_state[key] = value
    if state:
        at.run()
    assert not at.exception, at.exception
    boxes = _boxes(at, label)
    assert boxes, f"no box labelled {label!r} on {page}"
    assert {box.max_chars for box in boxes} == {LIMITS.search_max}


def test_the_audit_logs_what_box_is_no_longer_than_the_service_takes(
    run_page: Callable[..., AppTest],
) -> None:
    """The "what" box is shorter (an action code has at most 64 characters), never longer."""
    at = run_page("admin", "admin", tab="Audit log")
    (box,) = _boxes(at, "What (e.g. user. or workshop.close)")
    assert box.max_chars is not None and box.max_chars <= LIMITS.search_max
