"""Searches, list filters and ids from URLs: SQL-looking text, wildcards taken literally, bad ids.

These store nothing, so "stored verbatim" becomes "answered sensibly": a
search returns a list whose every row really contains the text typed
(``%`` and ``_`` are not wildcards), search snippets are inert HTML, and a
bad id is "not found" (or a field message for a filter), never a crash.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from cop.accounts import admin
from cop.actions import detail_queries as action_detail
from cop.actions import queries as action_views
from cop.communities import service as communities
from cop.core.errors import NotFound
from cop.core.validation import searchable
from cop.practices import queries as practice_browse
from cop.practices import service as practices
from cop.practices import standards
from cop.search import queries as search
from cop.toolkit import service as toolkit
from cop.workshops import attachments
from cop.workshops import queries as workshop_finder

from .inputs import CHOICE, REFERENCE, SEARCH, Bad
from .rule import Target, assert_inert_html
from .world import HostileWorld

STORED_PAYLOADS = [
    Bad("stored-script", "script alert"),
    Bad("stored-onerror", "onerror"),
    Bad("stored-formula", "HYPERLINK evil"),
    Bad("stored-rtl", "مرحبا"),
]


def _answered(s: Session, result: Any) -> Any:
    """What the search or filter found was already checked by the call: its verdict."""
    return result


def _fine(value: Any) -> bool:
    """Whatever was typed, the verdict must be True."""
    return True


def _literally(needle: str, *texts: Any) -> bool:
    """The typed text (less what no stored text can hold) appears in the row as typed."""
    return searchable(needle.strip()).casefold() in " ".join(str(t or "") for t in texts).casefold()


def _search_everything(s: Session, w: HostileWorld, v: Any) -> bool:
    hits = search.search(s, w.member, v)
    for hit in hits:
        assert_inert_html(hit.snippet_html)
    return isinstance(hits, list)


def _users(s: Session, w: HostileWorld, v: Any) -> bool:
    rows, total = admin.list_users(s, w.admin, search=v)
    return (
        total >= len(rows) and all(_literally(v, r.username, r.name, r.email) for r in rows)
        if v.strip()
        else True
    )


def _people(s: Session, w: HostileWorld, v: Any) -> bool:
    rows = admin.find_people(s, w.admin, v)
    return all(_literally(v, r.name, r.email) for r in rows) if v.strip() else True


def _workshops(s: Session, w: HostileWorld, v: Any) -> bool:
    rows, total = workshop_finder.find_workshops(s, w.member, text=v, limit=500)
    if not v.strip():
        return True
    shown = {r.id: r for r in rows}
    return total == len(rows) and all(
        _literally(
            v,
            r.title,
            r.place,
            workshop_finder.workshop_detail(s, w.member, i).workshop.objectives,
        )
        for i, r in shown.items()
    )


def _practices(s: Session, w: HostileWorld, v: Any) -> bool:
    rows, _total = practice_browse.find_practices(s, w.member, text=v, limit=500)
    if not v.strip():
        return True
    found = [practices.get_practice(s, w.member, r.id)[0] for r in rows]
    return all(_literally(v, p.title, p.summary, p.how_it_works) for p in found)


def _actions(s: Session, w: HostileWorld, v: Any) -> bool:
    rows, _total = action_views.find_actions(s, w.member, text=v, limit=200)
    if not v.strip():
        return True
    found = [action_detail.action_detail(s, w.member, r.id).action for r in rows]
    return all(_literally(v, a.title, a.objective) for a in found)


def _filter(run: Any) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> bool:
        rows = run(s, w, v)
        return isinstance(rows, list)

    return call


def _never(value: Any) -> str:
    return f"(not found: {value!r})"


LOOKUPS: dict[str, Any] = {
    "get_community": lambda s, w, v: communities.get_community(s, w.member, v),
    "workshop_detail": lambda s, w, v: workshop_finder.workshop_detail(s, w.member, v),
    "attachment_download": lambda s, w, v: attachments.attachment_download(s, w.member, v),
    "action_detail": lambda s, w, v: action_detail.action_detail(s, w.member, v),
    "practice_detail": lambda s, w, v: practice_browse.practice_detail(s, w.member, v),
    "image_content": lambda s, w, v: practices.image_content(s, w.member, v),
    "get_standard": lambda s, w, v: standards.get_standard(s, w.member, v),
    "chapter_detail": lambda s, w, v: toolkit.chapter_detail(s, w.member, v),
    "list_chapters": lambda s, w, v: toolkit.list_chapters(s, w.member, v),
}
FILTERS: dict[str, Any] = {
    "host_organisation_id": lambda s, w, v: workshop_finder.find_workshops(
        s, w.member, host_organisation_id=v
    )[0],
    "community_id": lambda s, w, v: workshop_finder.find_workshops(s, w.member, community_id=v)[0],
    "organisation_id": lambda s, w, v: practice_browse.find_practices(
        s, w.member, organisation_id=v
    )[0],
    "owner_person_id": lambda s, w, v: action_views.find_actions(s, w.member, owner_person_id=v)[0],
    "parent_id": lambda s, w, v: action_views.find_actions(s, w.member, parent_id=v)[0],
    "city": lambda s, w, v: action_views.city_plan(s, w.member, v).rows,
}


def _audit(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> bool:
        events, total = admin.audit_log(s, w.admin, **{field: v})
        return total >= len(events)

    return call


# One call of a search or filter, whatever was typed (a million characters too), on either database:
# the time must not grow with the input (it took 29-218 s for a million characters on PostgreSQL).
BUDGET = 2.0

TARGETS: list[Target] = [
    Target(
        "search",
        "text",
        SEARCH + STORED_PAYLOADS,
        _search_everything,
        _answered,
        _fine,
        budget=BUDGET,
    ),
    Target("list_users", "search", SEARCH, _users, _answered, _fine, budget=BUDGET),
    Target("find_people", "search", SEARCH, _people, _answered, _fine, budget=BUDGET),
    Target("find_workshops", "text", SEARCH, _workshops, _answered, _fine, budget=BUDGET),
    Target("find_practices", "text", SEARCH, _practices, _answered, _fine, budget=BUDGET),
    Target("find_actions", "text", SEARCH, _actions, _answered, _fine, budget=BUDGET),
    Target("audit_log", "who", SEARCH, _audit("who"), _answered, _fine, budget=BUDGET),
    Target("audit_log", "what", SEARCH, _audit("what"), _answered, _fine, budget=BUDGET),
    Target(
        "find_actions",
        "tag",
        SEARCH,
        _filter(lambda s, w, v: action_views.find_actions(s, w.member, tag=v)[0]),
        _answered,
        _fine,
        budget=BUDGET,
    ),
    *[
        Target(
            "find_practices",
            name,
            SEARCH,
            _filter(
                lambda s, w, v, name=name: practice_browse.find_practices(s, w.member, **{name: v})[
                    0
                ]
            ),
            _answered,
            _fine,
            budget=BUDGET,
        )
        for name in ("theme", "target_group")
    ],
    Target(
        "find_practices",
        "status",
        CHOICE,
        _filter(lambda s, w, v: practice_browse.find_practices(s, w.member, status=v)[0]),
        _answered,
        _fine,
        allow=("empty", "whitespace", "none"),
    ),
    *[
        # A filter naming nothing that exists simply finds nothing.
        Target(
            "filter",
            name,
            REFERENCE,
            _filter(run),
            _answered,
            _fine,
            refusals=(NotFound,),
            allow=("unknown",),
        )
        for name, run in FILTERS.items()
    ],
    *[
        Target(name, "id", REFERENCE, run, _answered, _never, refusals=(NotFound,))
        for name, run in LOOKUPS.items()
    ],
]
