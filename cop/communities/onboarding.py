"""Onboarding a community from a spreadsheet: organisations, people and memberships.

A facilitator (or an admin) uploads the CSV or XLSX list the partners already
keep. ``preview_import`` says row by row what would be created and every
problem found; ``apply_import`` repeats the same check inside the write
transaction and writes everything or, at the first problem, nothing. Accounts
are never created here: people get them through invitations.

Columns (first row, any order, any case): ``name`` (required), ``email``,
``organisation``, ``organisation_kind``, ``country`` (two letters), ``role``
(facilitator, member or observer; member when empty).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from sqlmodel import Session, col, func, select

from cop.communities import people
from cop.communities import service as communities
from cop.communities.models import Community, Membership, Organisation, OrganisationKind, Person
from cop.core.errors import ValidationError
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import Actor, authorize
from cop.core.settings import LIMITS
from cop.core.validation import Checker, extra_cells

MAX_ROWS = 5000
KNOWN_COLUMNS = ("name", "email", "organisation", "organisation_kind", "country", "role")
_ALIASES = {
    "e-mail": "email",
    "e_mail": "email",
    "mail": "email",
    "organization": "organisation",
    "organisation_type": "organisation_kind",
    "organization_kind": "organisation_kind",
    "full_name": "name",
}
_CHUNK = 500


@dataclass(frozen=True)
class RowProblem:
    row: int  # as the spreadsheet numbers it: the header is row 1
    field: str
    message: str


@dataclass(frozen=True)
class PlannedRow:
    row: int
    name: str
    email: str
    organisation: str
    role: str
    person: str  # "new" or "existing"
    membership: str  # "new" or "existing"
    note: str = ""
    person_id: int | None = None
    organisation_id: int | None = None  # an organisation already in the workspace


@dataclass
class ImportPlan:
    """What an import would create, and every problem that stops it."""

    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    new_organisations: list[str] = field(default_factory=list)
    # lower-case name of each new organisation -> (kind, country), from its first rows that give them
    organisation_details: dict[str, tuple[str, str]] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def new_people(self) -> int:
        return sum(1 for r in self.rows if r.person == "new")

    @property
    def new_memberships(self) -> int:
        return sum(1 for r in self.rows if r.membership == "new")

    @property
    def can_apply(self) -> bool:
        return bool(self.rows) and not self.problems


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _file_problem(message: str) -> ValidationError:
    return ValidationError({"file": message})


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """The rows of the first sheet (XLSX) or of the file (CSV, UTF-8), header first."""
    if len(data) > LIMITS.attachment_bytes:
        raise _file_problem(
            Message(
                N_("The file is larger than {size} MB."),
                size=LIMITS.attachment_bytes // (1024 * 1024),
            )
        )
    suffix = PurePath(filename or "").suffix.lower()
    if data[:4] == b"PK\x03\x04" or suffix == ".xlsx":
        return _read_xlsx(data)
    if suffix not in {".csv", ".txt", ""}:
        raise _file_problem(N_("Upload the list as .xlsx or as .csv (UTF-8)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_problem(
            N_("The CSV file is not UTF-8. In your spreadsheet choose Save as: CSV UTF-8.")
        ) from None
    if "\x00" in text:
        raise _file_problem(
            N_(
                "The CSV file cannot be read: it contains NUL characters (is it really a CSV file?)."
            )
        )
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    try:
        # Only the delimiter is guessed: a guessed quote character mangles names like "' OR" or O'Brien.
        return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as exc:
        raise _file_problem(
            Message(N_("The CSV file cannot be read: {problem}."), problem=exc)
        ) from None


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise _file_problem(N_("This is not an Excel workbook (.xlsx) that can be read.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([_cell(v) for v in values])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def _header(raw: list[str], plan: ImportPlan) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, title in enumerate(raw):
        key = title.strip().lower().replace(" ", "_")
        key = _ALIASES.get(key, key)
        if key in KNOWN_COLUMNS and key not in columns:
            columns[key] = index
        elif title.strip():
            plan.ignored_columns.append(title.strip())
    if "name" not in columns:
        raise _file_problem(
            Message(
                N_(
                    "The first row must name the columns; a 'name' column is required "
                    "(known columns: {columns})."
                ),
                columns=", ".join(KNOWN_COLUMNS),
            )
        )
    return columns


def _lookup(
    session: Session, column: Any, keys: set[str], model: type[Person] | type[Organisation]
) -> dict[str, list[Any]]:
    """Live records whose ``column`` matches one of ``keys`` case-insensitively, chunked for big lists."""
    found: dict[str, list[Any]] = {}
    ordered = sorted(keys)
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        stmt = select(model).where(func.lower(column).in_(chunk), col(model.deleted_at).is_(None))
        for record in session.exec(stmt):
            found.setdefault(getattr(record, column.key).strip().lower(), []).append(record)
    return found


def _plan(session: Session, community: Community, table: list[list[str]]) -> ImportPlan:
    plan = ImportPlan()
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise _file_problem(N_("The file is empty."))
    columns = _header(table[0], plan)
    width = max(i for i, title in enumerate(table[0]) if title.strip()) + 1
    body = table[1:]
    if not body:
        raise _file_problem(N_("The file has a header row but no people."))
    if len(body) > MAX_ROWS:
        raise _file_problem(
            Message(
                N_("The file has more than {maximum:,} rows; split it into smaller files."),
                maximum=MAX_ROWS,
            )
        )

    def value(row: list[str], key: str) -> str:
        index = columns.get(key)
        return row[index].strip() if index is not None and index < len(row) else ""

    emails = {value(r, "email").lower() for r in body} - {""}
    names = {value(r, "name").lower() for r in body if not value(r, "email")} - {""}
    orgs = {value(r, "organisation").lower() for r in body} - {""}
    people_by_email = _lookup(session, Person.email, emails, Person)
    people_by_name = _lookup(session, Person.name, names, Person)
    known_orgs = _lookup(session, Organisation.name, orgs, Organisation)
    member_ids = set(
        session.exec(
            select(Membership.person_id).where(
                Membership.community_id == community.id, col(Membership.deleted_at).is_(None)
            )
        )
    )
    seen: dict[str, int] = {}

    for number, row in enumerate(body, start=2):
        chk = Checker()
        extra = extra_cells(row[width:])
        if extra is not None:
            chk.fail("file", extra)
        name = chk.title("name", value(row, "name"), label=N_("The name"))
        email = chk.email("email", value(row, "email"))
        organisation = chk.optional_line(
            "organisation", value(row, "organisation"), label=N_("The organisation")
        )
        kind = value(row, "organisation_kind").lower()
        if kind:
            chk.choice("organisation_kind", kind, people.KINDS, label=N_("The organisation kind"))
        country = value(row, "country").upper()
        role = value(row, "role").lower() or "member"
        chk.choice("role", role, communities.ROLES, label=N_("The role"))
        if problem := people.country_problem(country):
            chk.fail("country", problem)
        if country and not organisation:
            chk.fail(
                "country",
                N_("The country belongs to the organisation: fill in the organisation too."),
            )
        identity = email.lower() or name.lower()
        if identity and identity in seen:
            chk.fail(
                "email" if email else "name",
                Message(N_("The same person is already on row {row}."), row=seen[identity]),
            )
        seen.setdefault(identity, number)
        person, note = None, ""
        if email and email.lower() in people_by_email:
            person = people_by_email[email.lower()][0]
        elif not email and name.lower() in people_by_name:
            matches = people_by_name[name.lower()]
            if len(matches) > 1:
                chk.fail(
                    "name",
                    Message(
                        N_(
                            "{count} people in the workspace are called {name}; add the e-mail address."
                        ),
                        count=len(matches),
                        name=name,
                    ),
                )
            person = matches[0]
        org_key = organisation.lower()
        if organisation and org_key not in known_orgs and not chk.errors:
            known_kind, known_country = plan.organisation_details.get(org_key, ("", ""))
            if country and known_country and known_country != country:
                chk.fail(
                    "country",
                    Message(
                        N_("{organisation} has country {country} on an earlier row."),
                        organisation=organisation,
                        country=known_country,
                    ),
                )
            elif kind and known_kind and known_kind != kind:
                chk.fail(
                    "organisation_kind",
                    Message(
                        N_("{organisation} is a {kind} on an earlier row."),
                        organisation=organisation,
                        kind=known_kind,
                    ),
                )
            else:
                if org_key not in plan.organisation_details:
                    plan.new_organisations.append(organisation)
                plan.organisation_details[org_key] = (known_kind or kind, known_country or country)
        for field_name, message in chk.errors.items():
            plan.problems.append(RowProblem(number, field_name, message))
        if chk.errors:
            continue
        membership = "existing" if person is not None and person.id in member_ids else "new"
        if membership == "existing":
            note = "Already a member; the role is kept."
        plan.rows.append(
            PlannedRow(
                number,
                name,
                email,
                organisation,
                role,
                "existing" if person is not None else "new",
                membership,
                note,
                person_id=person.id if person is not None else None,
                organisation_id=known_orgs[org_key][0].id if org_key in known_orgs else None,
            )
        )
    return plan


def preview_import(
    session: Session, actor: Actor, community_id: int, filename: str, data: bytes
) -> ImportPlan:
    """What the file would create in the community, and every row-level problem; writes nothing."""
    community = communities.get_community(session, actor, community_id)
    authorize(actor, "import.people", community)
    return _plan(session, community, read_table(filename, data))


def apply_import(
    session: Session, actor: Actor, community_id: int, filename: str, data: bytes
) -> ImportPlan:
    """Create the organisations, people and memberships of the file: all of them or, on any problem, none."""
    community = communities.get_community(session, actor, community_id)
    authorize(actor, "import.people", community)
    plan = _plan(session, community, read_table(filename, data))
    if plan.problems:
        first = plan.problems[0]
        raise _file_problem(
            Message(
                N_(
                    "{count} problem(s) in the file, nothing was imported. "
                    "First: row {row}, {field}: {message}"
                ),
                count=len(plan.problems),
                row=first.row,
                field=first.field,
                message=first.message,
            )
        )
    created: dict[
        str, int
    ] = {}  # lower-case organisation name -> id, for organisations new in this file
    for planned in plan.rows:
        organisation_id = planned.organisation_id
        if planned.organisation and organisation_id is None:
            key = planned.organisation.lower()
            if key not in created:
                kind, country = plan.organisation_details[key]
                organisation = people.create_organisation(
                    session,
                    actor,
                    name=planned.organisation,
                    kind=kind or OrganisationKind.OTHER.value,
                    country=country,
                )
                assert organisation.id is not None  # create_organisation flushed it
                created[key] = organisation.id
            organisation_id = created[key]
        person_id = planned.person_id
        if person_id is None:
            person_id = people.create_person(
                session,
                actor,
                name=planned.name,
                email=planned.email,
                organisation_id=organisation_id,
            ).id
        assert person_id is not None  # a stored person, or one create_person flushed
        if planned.membership == "new":
            communities.add_member(session, actor, community_id, person_id, planned.role)
    return plan
