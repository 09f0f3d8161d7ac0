"""Actions out to a spreadsheet and back: CSV export, a dry-run preview of an import, and the import.

The export carries each action's id and version, so a file edited in a
spreadsheet can come back: the preview compares every row with the stored
action and lists each change (title, status, progress, dates, priority,
tags) and each row-level problem (unknown id, bad date, status not allowed,
a row changed by someone else since the export, no permission). The import
re-checks everything and writes all rows or, if any row has a problem,
none. Owner and city are shown for orientation and are changed on the
action's page, not by import.

Text cells go through ``csv_safe`` (formula-safe); a cell that itself
starts with an apostrophe gets one more, so reading back strips exactly one
apostrophe from any cell that starts with it and every text survives the
round trip unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from cop.actions import progress as action_progress
from cop.actions.models import Action, ActionStatus
from cop.actions.progress import STATUSES, progress_after_status
from cop.actions.queries import conditions
from cop.actions.rules import PRIORITIES
from cop.actions.service import write_tags
from cop.communities.models import Community, Organisation, Person
from cop.communities.service import get_community
from cop.core import records
from cop.core.errors import PermissionDenied
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import Actor, authorize, can_read
from cop.core.tags import check_tags
from cop.core.validation import Checker, extra_cells, record_id
from cop.export.csv_safe import csv_bytes

COLUMNS = [
    "id",
    "version",
    "title",
    "status",
    "progress",
    "progress_from",  # "3 sub-actions", "5 milestones": a roll-up, not a posted value (not read back)
    "start_date",
    "due_date",
    "owner",
    "city",
    "priority",
    "tags",
]
EDITABLE = ("title", "status", "progress", "start_date", "due_date", "priority", "tags")
MAX_IMPORT_ROWS = 5_000
EXPORT_PAGE = 1_000
LOOKUP_CHUNK = 500
Owner = aliased(Person, name="owner")


def _text_out(value: str) -> str:
    return "'" + value if value.startswith("'") else value


def _text_in(value: str) -> str:
    return value[1:] if value.startswith("'") else value


def _export_rows(session: Session, actor: Actor, community_id: int) -> Iterator[list[Any]]:
    where = conditions(session, actor, community_id=community_id)
    last_id = 0
    while True:
        rows = session.execute(
            sa.select(
                col(Action.id),
                col(Action.version),
                col(Action.title),
                col(Action.status),
                col(Action.progress),
                col(Action.start_date),
                col(Action.due_date),
                col(Owner.name),
                col(Organisation.name),
                col(Action.priority),
                col(Action.tags),
                col(Action.progress_mode),
            )
            .join(Community, col(Community.id) == Action.community_id)
            .join(Owner, col(Action.owner_person_id) == Owner.id)
            .join(Organisation, col(Organisation.id) == Action.organisation_id, isouter=True)
            .where(*where, col(Action.id) > last_id)
            .order_by(col(Action.id))
            .limit(EXPORT_PAGE)
        ).all()
        sources = action_progress.progress_sources(session, [(r[0], r[-1]) for r in rows])
        for (
            aid,
            version,
            title,
            status,
            progress,
            start,
            due,
            owner,
            city,
            priority,
            tags,
            _m,
        ) in rows:
            source = sources.get(aid)
            yield [
                aid,
                version,
                _text_out(title),
                status,
                progress,
                f"{source[1]} {source[0]}" if source else "",
                start,
                due,
                _text_out(owner),
                _text_out(city or ""),
                priority,
                _text_out(", ".join(tags)),
            ]
        if len(rows) < EXPORT_PAGE:
            return
        last_id = rows[-1][0]


def export_actions_csv(session: Session, actor: Actor, community_id: Any) -> bytes:
    """Every live action of the community, by id, as a formula-safe UTF-8 CSV with a BOM."""
    community = get_community(session, actor, community_id)
    authorize(actor, "action.export", community)
    assert community.id is not None  # get_community read it from the database
    return csv_bytes(COLUMNS, _export_rows(session, actor, community.id))


# Owner and city are shown in the export but changed on the action's page: (with the value, when empty).
CHANGED_ON_THE_PAGE = {
    "owner": (
        N_("The owner is changed on the action's page, not by import (it is {shown})."),
        N_("The owner is changed on the action's page, not by import (it is empty)."),
    ),
    "city": (
        N_("The city is changed on the action's page, not by import (it is {shown})."),
        N_("The city is changed on the action's page, not by import (it is empty)."),
    ),
}


@dataclass
class RowPreview:
    """One row of the file: the action it names, what would change, and what is wrong with it."""

    line: int
    action_id: int | None
    title: str
    version: int | None = None  # the version the file was exported at
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class Preview:
    rows: list[RowPreview] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(r.errors for r in self.rows)

    @property
    def changed(self) -> list[RowPreview]:
        return [r for r in self.rows if r.changes]

    def problems(self) -> list[tuple[int, str, str]]:
        """(line, field, message) of every problem, file-level ones on line 1."""
        found = [(1, "file", message) for message in self.file_errors]
        return found + [(r.line, f, m) for r in self.rows for f, m in r.errors.items()]


# Where the csv module puts cells beyond the header; no column can be called this (a NUL is refused).
EXTRA = "\x00extra cells"


def _read(data: bytes, preview: Preview) -> list[tuple[int, dict[str, str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        preview.file_errors.append(
            N_("The file is not UTF-8 text; save it as CSV UTF-8 and try again.")
        )
        return []
    if "\x00" in text:
        preview.file_errors.append(N_("The file contains NUL characters; is it really a CSV file?"))
        return []
    reader = csv.DictReader(io.StringIO(text, newline=""), restkey=EXTRA)
    try:
        header = [(name or "").strip() for name in reader.fieldnames or []]
        missing = [c for c in ("id", "version", *EDITABLE) if c not in header]
        if missing:
            preview.file_errors.append(
                Message(
                    N_("Missing columns: {columns}. Export the actions first and edit that file."),
                    columns=", ".join(missing),
                )
            )
            return []
        rows = [
            (reader.line_num, {(k or "").strip(): v or "" for k, v in row.items()})
            for row in reader
        ]
    except csv.Error as exc:  # e.g. a cell beyond the csv module's field size limit
        preview.file_errors.append(
            Message(N_("The CSV file cannot be read: {problem}."), problem=exc)
        )
        return []
    if not rows:
        preview.file_errors.append(N_("The file has no rows below its header."))
    elif len(rows) > MAX_IMPORT_ROWS:
        preview.file_errors.append(
            Message(
                N_("The file has {count:,} rows; import at most {maximum:,} at once."),
                count=len(rows),
                maximum=MAX_IMPORT_ROWS,
            )
        )
        return []
    return rows


def _stored(session: Session, ids: list[int]) -> dict[int, tuple[Action, Community, str, str]]:
    """The live actions with these ids, their community, owner name and city name, in few queries."""
    found: dict[int, tuple[Action, Community, str, str]] = {}
    for start in range(0, len(ids), LOOKUP_CHUNK):
        chunk = ids[start : start + LOOKUP_CHUNK]
        rows = session.exec(
            select(Action, Community, Owner.name, Organisation.name)
            .join(Community, col(Community.id) == Action.community_id)
            .join(Owner, col(Action.owner_person_id) == Owner.id)
            .join(Organisation, col(Organisation.id) == Action.organisation_id, isouter=True)
            .where(
                col(Action.id).in_(chunk),
                col(Action.deleted_at).is_(None),
                col(Community.deleted_at).is_(None),
            )
        )
        for action, community, owner, city in rows:
            assert action.id is not None  # read from the database
            found[action.id] = (action, community, owner, city or "")
    return found


def _wanted(chk: Checker, row: dict[str, str]) -> dict[str, Any]:
    """The row's editable values, cleaned like a form's."""
    values: dict[str, Any] = {
        "title": chk.title("title", _text_in(row["title"]), label=N_("The title"))
    }
    status = row["status"].strip()
    if status not in STATUSES:
        chk.fail(
            "status",
            Message(
                N_("Status {status!r} is not allowed; use one of: {choices}."),
                status=status[:40],
                choices=", ".join(STATUSES),
            ),
        )
    values["status"] = status
    values["progress"] = chk.count(
        "progress", row["progress"], label=N_("The progress"), minimum=0, maximum=100
    )
    values["start_date"] = chk.day(
        "start_date", row["start_date"], label=N_("The start date"), required=False
    )
    values["due_date"] = chk.day("due_date", row["due_date"], label=N_("The due date"))
    chk.not_before("due_date", values["start_date"], values["due_date"], label=N_("The due date"))
    values["priority"] = chk.choice(
        "priority", row["priority"].strip(), PRIORITIES, label=N_("The priority")
    )
    values["tags"] = check_tags(chk, "tags", _text_in(row["tags"]), "tag")
    return values


def _changes(
    chk: Checker, action: Action, wanted: dict[str, Any], driven: tuple[str, int] | None
) -> dict[str, tuple[Any, Any]]:
    """What the row changes; a new status brings its default progress unless the row also sets one.

    ``driven`` is what drives the action's percentage instead of its status
    (sub-actions or milestones) and the percentage it dictates, if anything.
    """
    values = dict(wanted)
    progress_edited = values["progress"] != action.progress
    if progress_edited and driven is not None:
        chk.fail(
            "progress",
            Message(N_("The progress of this action follows its {what}."), what=Message(driven[0])),
        )
    elif progress_edited and values["status"] == ActionStatus.DONE and values["progress"] != 100:
        chk.fail("progress", N_("A done action is at 100 %."))
    elif not progress_edited and values["status"] != action.status:
        values["progress"] = (
            driven[1]
            if driven is not None
            else progress_after_status(values["status"], action.progress)
        )
    return {
        name: (getattr(action, name), value)
        for name, value in values.items()
        if getattr(action, name) != value
    }


def _row(
    actor: Actor,
    line: int,
    row: dict[str, str],
    stored: dict[int, Any],
    driven: dict[int, tuple[str, int]],
    seen: dict[int, int],
) -> RowPreview:
    raw_id = row["id"].strip()
    action_id = record_id(raw_id)
    result = RowPreview(line=line, action_id=action_id, title=_text_in(row["title"]).strip())
    found = stored.get(action_id) if action_id is not None else None
    if found is None or not can_read(actor, found[1]):
        result.errors["id"] = (
            Message(N_("There is no action with id {id}."), id=raw_id[:20])
            if raw_id
            else N_(
                "Every row needs the id of an exported action; new actions are created on the page."
            )
        )
        return result
    assert action_id is not None  # else nothing was found above
    if action_id in seen:
        result.errors["id"] = Message(
            N_("Action {id} appears twice in the file (also on line {line})."),
            id=action_id,
            line=seen[action_id],
        )
        return result
    seen[action_id] = line
    action, community, owner, city = found
    chk = Checker()
    extra = extra_cells(row.get(EXTRA))  # type: ignore[arg-type]  # DictReader gives the cells past the header as a list under restkey; its stub says str
    if extra is not None:
        chk.fail("file", extra)
    wanted = _wanted(chk, row)
    for name, shown in (("owner", owner), ("city", city)):
        if name in row and _text_in(row[name]).strip() != shown.strip():
            chk.fail(
                name,
                Message(CHANGED_ON_THE_PAGE[name][0], shown=shown)
                if shown
                else CHANGED_ON_THE_PAGE[name][1],
            )
    if not chk.errors:
        result.changes = _changes(chk, action, wanted, driven.get(action.id))
    version = row["version"].strip()
    result.version = int(version) if version.isascii() and version.isdigit() else None
    if result.changes:
        if result.version != action.version:
            chk.fail(
                "version",
                Message(
                    N_(
                        "Someone changed this action after the export (version {exported} in the "
                        "file, {current} now); export again and redo this row."
                    ),
                    exported=version[:12] or "?",
                    current=action.version,
                ),
            )
        try:
            authorize(actor, "action.import", community)
        except PermissionDenied:
            chk.fail(
                "id",
                Message(
                    N_("You may not import changes to actions of {community}."),
                    community=community.name,
                ),
            )
    result.errors = dict(chk.errors)
    if result.errors:
        result.changes = {}
    return result


def preview_actions_import(session: Session, actor: Actor, data: bytes) -> Preview:
    """Every change and every problem of an edited export, without writing anything."""
    preview = Preview()
    rows = _read(data, preview)
    ids = sorted({number for _, r in rows if (number := record_id(r["id"])) is not None})
    stored = _stored(session, ids)
    driven = action_progress.derived_many(session, [found[0] for found in stored.values()])
    seen: dict[int, int] = {}
    preview.rows = [_row(actor, line, row, stored, driven, seen) for line, row in rows]
    return preview


def apply_actions_import(session: Session, actor: Actor, data: bytes) -> Preview:
    """Check the file again and write every change, or nothing when any row has a problem."""
    preview = preview_actions_import(session, actor, data)
    if not preview.ok:
        return preview
    for row in preview.changed:
        action = records.get_live(
            session, Action, row.action_id, for_update=True, label=N_("action")
        )
        values = {name: new for name, (_old, new) in row.changes.items()}
        assert action.id is not None  # get_live read it from the database
        assert row.version is not None  # the preview refuses a change without the stored version
        records.save(
            session,
            actor,
            action,
            row.version,
            values,
            action="action.import",
            community_id=action.community_id,
        )
        if "tags" in values:
            write_tags(session, action.id, action.tags)
        if action.parent_id is not None and {"status", "progress"} & set(values):
            session.flush()  # the parent's roll-up reads this action's new percentage
            action_progress.settle(session, actor, action)
    preview.applied = True
    return preview
