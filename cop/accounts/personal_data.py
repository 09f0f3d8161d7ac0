"""A person's rights over their data: anonymisation (by an admin) and an export of their own data.

Both discover the tables from ``SQLModel.metadata`` rather than listing them,
so tables added later are covered without touching this module: every text
column wide enough to hold a sentence is searched for mentions, and every
table with a foreign key to ``person`` or ``user`` is part of the export.
Attendance rows, actions and memberships are kept and now point to "Former
participant #<id>", so counts and histories stay true.
"""

from __future__ import annotations

import json
import re
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from cop.accounts.models import Invitation, User
from cop.communities.models import Community, Membership, Person
from cop.core import clock, records
from cop.core.audit import AuditEvent, plain, record_event
from cop.core.errors import NotFound, ValidationError
from cop.core.i18n import N_
from cop.core.permissions import Actor, authorize
from cop.outbox import service as outbox

REDACTED = "(redacted)"
ANONYMOUS_NAME = "Former participant #{id}"
# Identity tables are handled field by field; a "name" column names someone or something else.
_NOT_FREE_TEXT_TABLES = {
    "person",
    "user",
    "audit_event",
    "invitation",
    "data_version",
    "alembic_version",
}
_SECRET_COLUMN = re.compile(r"(_hash|^token|_token|secret)$")
_MIN_FREE_TEXT_LENGTH = 200
_MIN_NAME_LENGTH = 3


def _is_text(column: sa.Column) -> bool:
    kind = getattr(column.type, "impl", column.type)
    return isinstance(kind, sa.String)


def free_text_columns() -> list[tuple[sa.Table, list[sa.Column]]]:
    """Long texts, titles, places and captions of every table: where a name can be mentioned."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        if table.name in _NOT_FREE_TEXT_TABLES or table.name.startswith("search_"):
            continue
        columns = [
            c
            for c in table.columns
            if _is_text(c)
            and c.name != "name"
            and not _SECRET_COLUMN.search(c.name)
            and (getattr(c.type, "length", None) or _MIN_FREE_TEXT_LENGTH) >= _MIN_FREE_TEXT_LENGTH
        ]
        if columns:
            found.append((table, columns))
    return found


def _mention(text: str) -> re.Pattern[str]:
    """``text`` as a whole word or phrase, any case, any run of spaces between its words."""
    words = [re.escape(word) for word in text.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def _like_any(column: Any, needles: list[str]) -> Any:
    escaped = [n.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for n in needles]
    return sa.or_(*[column.ilike(f"%{n}%", escape="\\") for n in escaped])


def _replace_mentions(
    session: Session,
    actor: Actor,
    replacements: list[tuple[re.Pattern[str], str]],
    needles: list[str],
) -> int:
    """Rewrite rows whose free text mentions the person; each changed record is versioned and audited.

    Only candidate rows (found with LIKE in SQL) are read; the exact,
    whole-word replacement is done here because SQLite has no regular expressions.
    """
    changed_rows = 0
    for table, columns in free_text_columns():
        key = list(table.primary_key.columns)
        rows = session.execute(
            sa.select(*key, *columns).where(sa.or_(*[_like_any(c, needles) for c in columns]))
        ).all()
        has_version = "version" in table.columns
        for row in rows:
            values = {c.name: row._mapping[c] for c in columns}
            new = dict(values)
            for name, text in values.items():
                if isinstance(text, str):
                    for pattern, replacement in replacements:
                        text = pattern.sub(replacement, text)
                    new[name] = text
            delta: dict[str, list[Any]] = {
                name: [REDACTED, "(mentions replaced)"]
                for name in values
                if new[name] != values[name]
            }
            if not delta:
                continue
            where = sa.and_(*[c == row._mapping[c] for c in key])
            update = {name: new[name] for name in delta}
            if has_version:
                update["version"] = table.c.version + 1
            session.execute(sa.update(table).where(where).values(**update))
            changed_rows += 1
            record_id = row._mapping[key[0]] if len(key) == 1 else None
            community_id = None
            if "community_id" in table.columns and record_id is not None:
                community_id = session.execute(
                    sa.select(table.c.community_id).where(where)
                ).scalar()
            if has_version:
                version = session.execute(sa.select(table.c.version).where(where)).scalar_one()
                delta["version"] = [version - 1, version]
            record_event(
                session,
                actor,
                f"{table.name}.anonymise_mentions",
                record_type=table.name,
                record_id=record_id,
                community_id=community_id,
                changes=delta,
            )
    return changed_rows


def _redact(value: Any, patterns: list[re.Pattern[str]]) -> Any:
    if isinstance(value, str):
        return REDACTED if any(p.search(value) for p in patterns) else value
    if isinstance(value, list):
        return [_redact(v, patterns) for v in value]
    if isinstance(value, dict):
        return {k: _redact(v, patterns) for k, v in value.items()}
    return value


def _redact_audit(
    session: Session,
    person: Person,
    needles: list[str],
    patterns: list[re.Pattern[str]],
    old_username: str | None,
    new_username: str | None,
) -> None:
    """Audit values that name the person become "(redacted)"; who did what and when stays."""
    as_text = sa.cast(AuditEvent.changes, sa.Text)
    search = needles + [json.dumps(n)[1:-1] for n in needles]  # non-ASCII is stored \u-escaped
    conditions = [
        sa.and_(col(AuditEvent.record_type) == "person", col(AuditEvent.record_id) == person.id)
    ]
    if search:
        conditions.append(_like_any(as_text, search))
    if old_username:
        conditions.append(
            sa.and_(col(AuditEvent.record_type) == "user", _like_any(as_text, [old_username]))
        )
    for event in session.exec(select(AuditEvent).where(sa.or_(*conditions))):
        redacted = _redact(event.changes, patterns)
        for field, values in redacted.items():
            own_identity = (
                event.record_type == "person"
                and event.record_id == person.id
                and field in {"name", "email"}
            )
            if own_identity or (field == "username" and old_username and old_username in values):
                redacted[field] = [REDACTED if v not in (None, "") else v for v in values]
        if redacted != event.changes:
            event.changes = redacted
            session.add(event)
    if old_username and new_username:
        session.execute(
            sa.update(AuditEvent)
            .where(col(AuditEvent.actor_name) == old_username)
            .values(actor_name=new_username)
        )


def anonymise_person(session: Session, actor: Actor, person_id: int | str) -> Person:
    """Replace a person's name, e-mail and mentions, redact the audit trail, and close their account.

    A name shorter than three characters is too ambiguous to search free text
    for safely; it is still replaced in the person's own record and the audit trail.
    """
    authorize(actor, "person.anonymise")
    person = records.get_live(session, Person, person_id, for_update=True, label=N_("person"))
    if person.anonymised_at is not None:
        raise ValidationError({"person": N_("This person has already been anonymised.")})
    new_name = ANONYMOUS_NAME.format(id=person.id)
    user = session.exec(select(User).where(User.person_id == person.id).with_for_update()).first()
    old_username = user.username if user is not None else None
    new_username = f"former-{user.id}" if user is not None else None
    name, email = person.name.strip(), person.email.strip()
    replacements = ([(_mention(name), new_name)] if len(name) >= _MIN_NAME_LENGTH else []) + (
        [(_mention(email), REDACTED)] if email else []
    )
    needles = [t for t, ok in ((name, len(name) >= _MIN_NAME_LENGTH), (email, bool(email))) if ok]

    _redact_audit(
        session, person, needles, [p for p, _ in replacements], old_username, new_username
    )
    outbox.drop_unsent(session, email)  # nothing more goes to the address being forgotten
    mentions = _replace_mentions(session, actor, replacements, needles) if needles else 0
    linked = [col(Invitation.person_id) == person.id] + (
        [col(Invitation.email) == email] if email else []
    )
    for invitation in session.exec(select(Invitation).where(sa.or_(*linked))):
        invitation.name, invitation.email = new_name, ""
        session.add(invitation)

    now = clock.now()
    old_version = person.version
    person.name, person.email, person.anonymised_at = new_name, "", now
    person.version += 1
    person.updated_at, person.updated_by_id = now, actor.user_id or None
    session.add(person)
    record_event(
        session,
        actor,
        "person.anonymise",
        person,
        changes={
            "name": [REDACTED, new_name],
            "email": [REDACTED, ""],
            "anonymised_at": [None, now.isoformat()],
            "mentions_replaced": [None, mentions],
            "version": [old_version, person.version],
        },
    )
    if user is not None:
        was_active, old_user_version = user.active, user.version
        assert new_username is not None  # set above whenever there is a user
        user.username, user.active, user.sessions_valid_after = new_username, False, now
        user.version += 1
        session.add(user)
        record_event(
            session,
            actor,
            "user.deactivate",
            user,
            changes={
                "username": [REDACTED, new_username],
                "active": [was_active, False],
                "version": [old_user_version, user.version],
            },
        )
    return person


def _rows_referring_to(
    session: Session, target: str, value: int
) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for table in SQLModel.metadata.sorted_tables:
        columns = [fk.parent for fk in table.foreign_keys if fk.column.table.name == target]
        if not columns:
            continue
        rows = session.execute(
            sa.select(table).where(sa.or_(*[c == value for c in columns]))
        ).mappings()
        kept = [
            {k: plain(v) for k, v in row.items() if not _SECRET_COLUMN.search(k)} for row in rows
        ]
        if kept:
            found.setdefault(table.name, []).extend(kept)
    return found


def export_own_data(session: Session, actor: Actor) -> dict[str, Any]:
    """Everything the workspace holds about the signed-in person, as plain JSON-ready values.

    Profile and account (without the password hash), memberships with community
    names, and every row of every table that refers to the person or the account.
    """
    authorize(actor, "person.export_own")
    user = session.get(User, actor.user_id)
    if user is None:
        raise NotFound(N_("Your account no longer exists."))
    person = session.get(Person, user.person_id) if user.person_id else None
    memberships = []
    related: dict[str, list[dict[str, Any]]] = {}
    if person is not None:
        joined = session.exec(
            select(Membership, Community)
            .join(Community, col(Community.id) == Membership.community_id)
            .where(Membership.person_id == person.id)
            .order_by(Community.name)
        )
        memberships = [
            {
                "community": c.name,
                "community_slug": c.slug,
                "role": m.role,
                "since": plain(m.created_at),
                "ended": plain(m.deleted_at),
            }
            for m, c in joined
        ]
        assert person.id is not None  # read from the database
        related = _rows_referring_to(session, "person", person.id)
    assert user.id is not None  # read from the database
    for table, rows in _rows_referring_to(session, "user", user.id).items():
        related.setdefault(table, []).extend(rows)
    record_event(session, actor, "person.export_own", person or user)
    return {
        "exported_at": clock.now().isoformat(),
        "account": {
            k: plain(v) for k, v in user.model_dump().items() if not _SECRET_COLUMN.search(k)
        },
        "profile": {k: plain(v) for k, v in person.model_dump().items()} if person else None,
        "memberships": memberships,
        "records": related,
    }


def export_own_data_json(session: Session, actor: Actor) -> str:
    """The export as a UTF-8 JSON document, for the download button."""
    return json.dumps(export_own_data(session, actor), ensure_ascii=False, indent=2, default=str)
