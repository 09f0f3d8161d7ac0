"""The audit trail as sentences: who did what to which record, in the reader's language.

An audit event stores codes ("action.post_update", ``{"facilitator_ids": [[3], [3, 7]]}``);
a reader needs "Lena Novak updated the action “Welcome desk”" and "Progress (%): 40 → 65".
Each capability describes its record types once in its ``history`` module (the
noun, the page that opens the record, the column that names it, its fields'
form labels, the fields holding ids of other records), registered through
cop/registry.py. ``describe`` turns events into ``Entry``s made of Messages
that a page translates when drawn (``cop.shell.forms.localize``); Home's
activity and every History tab use it, so the same event reads the same
everywhere.

Names are read from the tables by name (``SQLModel.metadata``), so this module
knows no capability; a record gone for good keeps the title its events carried.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from cop.core.audit import AuditEvent
from cop.core.i18n import N_
from cop.core.messages import Message

LONG_VALUE = 60  # characters: a longer value (a description, minutes) is named, not quoted


@dataclass(frozen=True)
class Reference:
    """A field holding the id (or a list of ids) of a row of ``table``, named by ``column``."""

    table: str
    column: str = "name"


@dataclass(frozen=True)
class Kind:
    """How the history names one record type (an audit event's ``record_type``).

    ``noun`` is a template with ``{title}`` (and ``{parent}`` for a part of
    another record), written as the object of a sentence: "the action “{title}”".
    ``parent`` is (field holding the parent's id, the parent's record type): the
    link of a milestone goes to its action.
    """

    noun: str
    page: str = ""
    title: str = "title"
    fields: Mapping[str, str] = field(default_factory=dict)  # field -> its form label
    references: Mapping[str, Reference] = field(default_factory=dict)
    choices: Mapping[str, Mapping[str, str]] = field(
        default_factory=dict
    )  # field -> value -> label
    dates: frozenset[str] = frozenset()
    parent: tuple[str, str] | None = None
    fallback_title: str = ""  # the column naming the record when ``title`` is empty (a guest)


KINDS: dict[str, Kind] = {}
_actor_names: list[Callable[[Session, set[int]], dict[int, str]]] = []

# The verb of an event is the last part of its code ("workshop.hold" -> "hold").
VERBS: dict[str, str] = {
    "create": N_("{who} created {record}."),
    "import": N_("{who} imported {record}."),
    "update": N_("{who} updated {record}."),
    "update_own_profile": N_("{who} updated {record}."),
    "post_update": N_("{who} posted an update on {record}."),
    "progress": N_("{who} updated the progress of {record}."),
    "delete": N_("{who} deleted {record}."),
    "remove": N_("{who} removed {record}."),
    "restore": N_("{who} restored {record}."),
    "move": N_("{who} moved {record}."),
    "reorder": N_("{who} reordered {record}."),
    "link": N_("{who} linked {record}."),
    "hold": N_("{who} marked {record} as held."),
    "close": N_("{who} closed {record}."),
    "reopen": N_("{who} reopened {record}."),
    "submit": N_("{who} sent {record} to review."),
    "approve": N_("{who} approved {record}."),
    "revision": N_("{who} approved {record}."),
    "back_to_review": N_("{who} sent {record} back to review."),
    "rename": N_("{who} renamed {record}."),
    "add": N_("{who} added {record}."),
    "change_role": N_("{who} changed the role of {record}."),
    "record": N_("{who} recorded {record}."),
    "resolve": N_("{who} resolved {record}."),
    "accept": N_("{who} accepted {record}."),
    "revoke": N_("{who} revoked {record}."),
    "archive": N_("{who} archived {record}."),
    "set_visibility": N_("{who} changed who may see {record}."),
    "add_image": N_("{who} added an image to {record}."),
    "update_image": N_("{who} changed an image of {record}."),
    "remove_image": N_("{who} removed an image of {record}."),
    "export_own": N_("{who} downloaded the data of {record}."),
    "retry": N_("{who} asked to send {record} again."),
    "sign_in_oidc": N_("{who} signed in to {record} with the organisation's account."),
    "link_identity": N_("{who} linked {record} to the organisation's account."),
}
CHANGED = N_("{who} changed {record}.")
# Events whose changes are the whole record (a creation) or nothing a reader needs.
NO_CHANGES = {"create", "import", "delete", "remove", "restore", "add", "export_own"}
A_RECORD = N_("a record")
SOMEONE = N_("The workspace")


def register(record_type: str, kind: Kind) -> None:
    """Called by each capability's history module (imported by cop/registry.py)."""
    KINDS[record_type] = kind


def register_actor_names(names: Callable[[Session, set[int]], dict[int, str]]) -> None:
    """How user ids become people's names (cop.accounts.history)."""
    _actor_names[:] = [names]


@dataclass(frozen=True)
class Entry:
    """One event for a reader: when, a sentence, what changed, and where the record opens."""

    at: datetime
    sentence: Message
    changes: list[Message]
    page: str
    record_id: int | None
    community_id: int | None


def _names(session: Session, table_name: str, column: str, ids: set[int]) -> dict[int, Any]:
    table = SQLModel.metadata.tables.get(table_name)
    if table is None or not ids or column not in table.c:
        return {}
    rows = session.execute(sa.select(table.c.id, table.c[column]).where(table.c.id.in_(ids)))
    return {row[0]: row[1] for row in rows}


def _ids(value: Any) -> list[int]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]


class _Lookup:
    """Names of every referenced row of a batch of events, read once per table."""

    def __init__(self, session: Session, events: list[AuditEvent], with_changes: bool):
        self.session = session
        wanted: dict[tuple[str, str], set[int]] = {}

        def want(reference: Reference, ids: Iterable[int]) -> None:
            wanted.setdefault((reference.table, reference.column), set()).update(ids)

        for event in events:
            kind = KINDS.get(event.record_type)
            if kind is None or event.record_id is None:
                continue
            want(Reference(event.record_type, kind.title), [event.record_id])
            if kind.fallback_title:
                want(Reference(event.record_type, kind.fallback_title), [event.record_id])
            if kind.parent:
                want(Reference(event.record_type, kind.parent[0]), [event.record_id])
            if with_changes:
                for name, (old, new) in _pairs(event.changes):
                    if name in kind.references:
                        want(kind.references[name], _ids(old) + _ids(new))
        self.names = {key: _names(session, key[0], key[1], ids) for key, ids in wanted.items()}
        self._parents()
        self._titles_by_reference()

    def _parents(self) -> None:
        """Titles of the parents the parts point to (an update's action), and their own parents
        (a comment's section's chapter), so a part links to the nearest record with a page."""
        for _level in range(2):
            more: dict[tuple[str, str], set[int]] = {}
            for record_type, kind in KINDS.items():
                if kind.parent and (record_type, kind.parent[0]) in self.names:
                    parent = KINDS.get(kind.parent[1])
                    if parent is None:
                        continue
                    ids = {
                        i
                        for i in self.names[(record_type, kind.parent[0])].values()
                        if isinstance(i, int)
                    }
                    more.setdefault((kind.parent[1], parent.title), set()).update(ids)
                    if parent.parent:
                        more.setdefault((kind.parent[1], parent.parent[0]), set()).update(ids)
            for key, ids in more.items():
                known = self.names.setdefault(key, {})
                missing = ids - set(known)
                known.update(_names(self.session, key[0], key[1], missing))

    def _titles_by_reference(self) -> None:
        """A record named by a referenced row (a score by its city): read those names too."""
        for record_type, kind in KINDS.items():
            reference = kind.references.get(kind.title)
            key = (record_type, kind.title)
            if reference is not None and key in self.names:
                ids = {i for i in self.names[key].values() if isinstance(i, int)}
                names = _names(self.session, reference.table, reference.column, ids)
                self.names[key] = {rid: names.get(ref, "") for rid, ref in self.names[key].items()}

    def get(self, table: str, column: str, row_id: Any) -> Any:
        return self.names.get((table, column), {}).get(row_id)


def _pairs(changes: Mapping[str, Any]) -> list[tuple[str, tuple[Any, Any]]]:
    return [
        (name, (pair[0], pair[1]))
        for name, pair in changes.items()
        if isinstance(pair, list | tuple) and len(pair) == 2
    ]


def _value(kind: Kind, name: str, value: Any, lookup: _Lookup) -> Any:
    """One stored value as a reader sees it: a name for an id, a label for a code, a day."""
    if value is None or value == "" or value == []:
        return "–"
    if name in kind.references:
        reference = kind.references[name]
        names = [lookup.get(reference.table, reference.column, i) for i in _ids(value)]
        return ", ".join(str(n) for n in names if n) or "–"
    if name in kind.choices:
        label = kind.choices[name].get(str(value))
        return Message(label) if label else str(value)
    if isinstance(value, bool):
        return Message(N_("yes") if value else N_("no"))
    if name in kind.dates and isinstance(value, str):
        try:
            return (datetime if "T" in value else date).fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 7, not 7.0
    return value


def _changes(kind: Kind, changes: Mapping[str, Any], lookup: _Lookup) -> list[Message]:
    described = []
    for name, (old, new) in _pairs(changes):
        label = kind.fields.get(name)
        if label is None:
            continue  # bookkeeping (version, position) or a field without a form
        shown = [_value(kind, name, v, lookup) for v in (old, new)]
        if any(isinstance(v, str) and len(v) > LONG_VALUE for v in shown):
            described.append(Message(N_("{label} changed"), label=label))
        else:
            described.append(
                Message(N_("{label}: {old} → {new}"), label=label, old=shown[0], new=shown[1])
            )
    return described


def _record(event: AuditEvent, kind: Kind | None, lookup: _Lookup) -> Message:
    if kind is None:
        return Message(A_RECORD)
    title = lookup.get(event.record_type, kind.title, event.record_id)
    if not title and kind.fallback_title:
        title = lookup.get(event.record_type, kind.fallback_title, event.record_id)
    if not title:  # gone for good: the name its events carried
        pair = event.changes.get(kind.title)
        title = pair[-1] if isinstance(pair, list) and pair else pair
    parent_title = ""
    if kind.parent:
        parent_id = lookup.get(event.record_type, kind.parent[0], event.record_id)
        parent_kind = KINDS.get(kind.parent[1])
        if parent_kind is not None:
            parent_title = lookup.get(kind.parent[1], parent_kind.title, parent_id) or ""
    return Message(kind.noun, title=str(title or "…"), parent=str(parent_title or "…"))


def _link(
    record_type: str, record_id: int | None, lookup: _Lookup, depth: int = 0
) -> tuple[str, int | None]:
    """The page that opens the record, or the nearest record it is part of that has one."""
    kind = KINDS.get(record_type)
    if kind is None or record_id is None or depth > 2:
        return "", None
    if kind.page:
        return kind.page, record_id
    if kind.parent:
        parent_id = lookup.get(record_type, kind.parent[0], record_id)
        if isinstance(parent_id, int):
            return _link(kind.parent[1], parent_id, lookup, depth + 1)
    return "", None


OTHER_DETAILS = N_("Other details")


def conflict_rows(
    session: Session, record_type: str, changed: Mapping[str, Mapping[str, Any]]
) -> list[tuple[str, Any, Any, Any]]:
    """What someone else changed meanwhile (``ConflictError.changed``): one row per field,
    (label, was, now, who), labelled and written as the history writes them."""
    kind = KINDS.get(record_type, Kind(noun=A_RECORD))
    event = AuditEvent(
        action="",
        record_type=record_type,
        changes={f: [c.get("was"), c.get("now")] for f, c in changed.items()},
    )
    lookup = _Lookup(session, [event], with_changes=True)
    user_ids = {c["by_user_id"] for c in changed.values() if c.get("by_user_id")}
    people = _actor_names[0](session, user_ids) if _actor_names and user_ids else {}
    rows = []
    for name, change in changed.items():
        was, now = (_value(kind, name, change.get(v), lookup) for v in ("was", "now"))
        who = people.get(change.get("by_user_id") or 0) or change.get("by", "")
        rows.append((kind.fields.get(name, OTHER_DETAILS), was, now, who))
    return rows


def describe(
    session: Session, events: Iterable[AuditEvent], *, with_changes: bool = True
) -> list[Entry]:
    """``events`` as sentences, in their order; ``with_changes`` adds what changed, field by field."""
    events = list(events)
    lookup = _Lookup(session, events, with_changes)
    user_ids = {e.actor_user_id for e in events if e.actor_user_id}
    people = _actor_names[0](session, user_ids) if _actor_names and user_ids else {}
    entries = []
    for event in events:
        kind = KINDS.get(event.record_type)
        verb = event.action.rsplit(".", 1)[-1]
        who: Any = people.get(event.actor_user_id or 0) or event.actor_name
        if not event.actor_user_id:
            who = Message(SOMEONE)
        sentence = Message(VERBS.get(verb, CHANGED), who=who, record=_record(event, kind, lookup))
        changes = (
            _changes(kind, event.changes, lookup)
            if with_changes and kind is not None and verb not in NO_CHANGES
            else []
        )
        page, record_id = _link(event.record_type, event.record_id, lookup)
        entries.append(Entry(event.at, sentence, changes, page, record_id, event.community_id))
    return entries
