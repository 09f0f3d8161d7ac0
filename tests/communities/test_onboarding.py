"""Onboarding from spreadsheets: a preview with every row problem, then all or nothing."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy.engine import Engine
from sqlmodel import func, select

from cop.communities import onboarding, people
from cop.communities import service as communities
from cop.communities.models import Membership, Organisation, Person
from cop.core.audit import AuditEvent
from cop.core.db import read_session, write_session
from cop.core.errors import NotFound, PermissionDenied, ValidationError
from cop.core.permissions import SYSTEM
from tests import factories

HEADER = "name,email,organisation,country,role\n"
GOOD = HEADER + (
    "Giulia Bianchi,giulia@example.org,Città di Bologna,IT,facilitator\n"
    "Lars Eriksen,lars@example.org,Göteborgs Stad,SE,member\n"
    "Ana Pereira,,Città di Bologna,,observer\n"
    "Marek Nowak,marek@example.org,,,\n"
)


def _counts(engine: Engine) -> tuple[int, int, int, int]:
    with read_session(engine) as s:
        return tuple(
            s.exec(select(func.count()).select_from(model)).one()  # type: ignore[return-value]
            for model in (Organisation, Person, Membership, AuditEvent)
        )


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_preview_lists_what_would_be_created_and_writes_nothing(engine: Engine) -> None:
    world = factories.world(engine)
    before = _counts(engine)
    with write_session(engine) as s:
        plan = onboarding.preview_import(
            s, world.facilitator, world.community.id, "people.csv", GOOD.encode()
        )
    assert _counts(engine) == before
    assert plan.can_apply and not plan.problems
    assert plan.new_organisations == ["Città di Bologna", "Göteborgs Stad"]
    assert (plan.new_people, plan.new_memberships) == (4, 4)
    assert [(r.row, r.name, r.role) for r in plan.rows] == [
        (2, "Giulia Bianchi", "facilitator"),
        (3, "Lars Eriksen", "member"),
        (4, "Ana Pereira", "observer"),
        (5, "Marek Nowak", "member"),
    ]


def test_apply_creates_organisations_people_and_memberships(engine: Engine) -> None:
    world = factories.world(engine)
    with write_session(engine) as s:
        onboarding.apply_import(
            s, world.facilitator, world.community.id, "people.csv", GOOD.encode()
        )
    with read_session(engine) as s:
        members = {m.name: m for m in communities.members(s, world.facilitator, world.community.id)}
        bologna = s.exec(select(Organisation).where(Organisation.name == "Città di Bologna")).one()
    assert members["Giulia Bianchi"].role == "facilitator"
    assert members["Ana Pereira"].organisation == "Città di Bologna"
    assert members["Marek Nowak"].organisation == ""
    assert (bologna.country, bologna.kind) == ("IT", "other")


def test_a_broken_row_writes_nothing(engine: Engine) -> None:
    world = factories.world(engine)
    broken = GOOD + "Eva Novak,not-an-email,Praha,CZ,member\n"
    before = _counts(engine)
    with pytest.raises(ValidationError) as refused, write_session(engine) as s:
        onboarding.apply_import(
            s, world.facilitator, world.community.id, "people.csv", broken.encode()
        )
    assert (
        "row 6" in refused.value.fields["file"]
        and "nothing was imported" in refused.value.fields["file"]
    )
    assert _counts(engine) == before


def test_preview_reports_every_row_problem_with_its_row_number(engine: Engine) -> None:
    world = factories.world(engine)
    text = HEADER + (
        ",nobody@example.org,,,\n"  # row 2: no name
        "Eva Novak,eva@,Praha,Czechia,member\n"  # row 3: e-mail and country
        "Tom Berg,tom@example.org,,,owner\n"  # row 4: role
        "Ida Lund,ida@example.org,,DK,\n"  # row 5: country without organisation
        f"{'x' * 201},,,,\n"  # row 6: name too long
        "Ok Person,ok@example.org,,,\n"  # row 7: fine
        "Ok Again,OK@example.org,,,\n"  # row 8: same e-mail as row 7
    )
    with read_session(engine) as s:
        plan = onboarding.preview_import(
            s, world.facilitator, world.community.id, "people.csv", text.encode()
        )
    problems = {(p.row, p.field) for p in plan.problems}
    assert problems == {
        (2, "name"),
        (3, "email"),
        (3, "country"),
        (4, "role"),
        (5, "country"),
        (6, "name"),
        (8, "email"),
    }
    assert [r.row for r in plan.rows] == [7] and not plan.can_apply


def test_existing_people_organisations_and_members_are_reused_not_duplicated(
    engine: Engine,
) -> None:
    world = factories.world(engine)
    with write_session(engine) as s:
        city = people.create_organisation(s, SYSTEM, name="Göteborgs Stad", country="SE")
        lars = people.create_person(
            s, SYSTEM, name="Lars E.", email="LARS@example.org", organisation_id=city.id
        )
        giulia = people.create_person(s, SYSTEM, name="Giulia Bianchi", email="giulia@example.org")
        communities.add_member(s, SYSTEM, world.community.id, giulia.id, "observer")  # type: ignore[arg-type]
    with write_session(engine) as s:
        plan = onboarding.apply_import(
            s, world.facilitator, world.community.id, "people.csv", GOOD.encode()
        )
    by_name = {r.name: r for r in plan.rows}
    assert (
        by_name["Lars Eriksen"].person == "existing" and by_name["Lars Eriksen"].membership == "new"
    )
    assert by_name["Giulia Bianchi"].membership == "existing"
    assert plan.new_organisations == ["Città di Bologna"]
    with read_session(engine) as s:
        assert (
            s.exec(
                select(func.count())
                .select_from(Organisation)
                .where(Organisation.name == "Göteborgs Stad")
            ).one()
            == 1
        )
        roles = {
            m.person_id: m.role for m in communities.members(s, world.admin, world.community.id)
        }
    assert roles[lars.id] == "member" and roles[giulia.id] == "observer"  # an existing role is kept


def test_two_people_with_the_same_name_and_no_email_are_ambiguous(engine: Engine) -> None:
    world = factories.world(engine)
    with write_session(engine) as s:
        people.create_person(s, SYSTEM, name="Ana Pereira")
        people.create_person(s, SYSTEM, name="Ana Pereira")
    with read_session(engine) as s:
        plan = onboarding.preview_import(
            s,
            world.facilitator,
            world.community.id,
            "people.csv",
            (HEADER + "ana pereira,,,,\n").encode(),
        )
    assert [(p.row, p.field) for p in plan.problems] == [(2, "name")]


def test_xlsx_with_semicolons_numbers_and_blank_rows(engine: Engine) -> None:
    world = factories.world(engine)
    data = _xlsx(
        [
            ["Name", "E-mail", "Organization", "Country", "Role", "Notes"],
            ["Giulia Bianchi", "giulia@example.org", "Città di Bologna", "it", "Facilitator", 42],
            [None, None, None, None, None, None],
            [1234, None, None, None, None, None],
        ]
    )
    with write_session(engine) as s:
        plan = onboarding.apply_import(s, world.admin, world.community.id, "people.xlsx", data)
    assert [(r.row, r.name, r.role) for r in plan.rows] == [
        (2, "Giulia Bianchi", "facilitator"),
        (3, "1234", "member"),
    ]
    assert plan.ignored_columns == ["Notes"]


def test_semicolon_csv_from_european_excel_with_bom(engine: Engine) -> None:
    world = factories.world(engine)
    text = "\ufeffname;email;organisation\nJörg Müller;jorg@example.org;Stadt Düsseldorf\n"
    with read_session(engine) as s:
        plan = onboarding.preview_import(
            s, world.facilitator, world.community.id, "people.csv", text.encode()
        )
    assert [(r.name, r.organisation) for r in plan.rows] == [("Jörg Müller", "Stadt Düsseldorf")]


def test_formula_like_and_right_to_left_names_are_kept_verbatim(engine: Engine) -> None:
    world = factories.world(engine)
    text = HEADER + '"=HYPERLINK(""http://x"")",,,,\nمريم الحسن,,,,\n'
    with write_session(engine) as s:
        onboarding.apply_import(
            s, world.facilitator, world.community.id, "people.csv", text.encode()
        )
    with read_session(engine) as s:
        names = {m.name for m in communities.members(s, world.admin, world.community.id)}
    assert {'=HYPERLINK("http://x")', "مريم الحسن"} <= names


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("people.csv", "name,email\nJörg,j@example.org\n".encode("cp1252"), "UTF-8"),
        ("people.xls", b"\xd0\xcf\x11\xe0 old excel", ".xlsx"),
        ("people.xlsx", b"PK\x03\x04 not really a zip", "Excel"),
        ("people.csv", b"email,organisation\nx@example.org,City\n", "'name' column"),
        ("people.csv", b"", "empty"),
        ("people.csv", b"name,email\n", "no people"),
        ("people.csv", b"name\nA\x00B\n", "cannot be read"),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_message(
    engine: Engine, filename: str, data: bytes, message: str
) -> None:
    world = factories.world(engine)
    with read_session(engine) as s, pytest.raises(ValidationError) as refused:
        onboarding.preview_import(s, world.facilitator, world.community.id, filename, data)
    assert message in refused.value.fields["file"]


def test_only_facilitators_of_the_community_and_admins_import(engine: Engine) -> None:
    world = factories.world(engine)
    other = factories.community(engine)
    for who, community_id in (
        (world.member, world.community.id),
        (world.observer, world.community.id),
        (world.outsider, world.community.id),
        (world.facilitator, other.id),
    ):
        with write_session(engine) as s, pytest.raises(PermissionDenied):
            onboarding.apply_import(s, who, community_id, "people.csv", GOOD.encode())


def test_a_private_community_cannot_be_imported_into_by_outsiders(engine: Engine) -> None:
    world = factories.world(engine, visibility="private")
    with read_session(engine) as s, pytest.raises(NotFound):
        onboarding.preview_import(
            s, world.outsider, world.community.id, "people.csv", GOOD.encode()
        )


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        pytest.param(
            "people.csv",
            (
                HEADER + "Ok Person,ok@example.org,,,\nEva Novak,eva@example.org,,,member,Room 2\n"
            ).encode(),
            id="csv",
        ),
        pytest.param(
            "people.xlsx",
            _xlsx(
                [
                    ["name", "email", "organisation", "country", "role"],
                    ["Ok Person", "ok@example.org", None, None, None, None],
                    ["Eva Novak", "eva@example.org", None, None, "member", "Room 2"],
                ]
            ),
            id="xlsx",
        ),
    ],
)
def test_a_row_with_more_cells_than_the_header_is_a_reported_problem(
    engine: Engine, filename: str, data: bytes
) -> None:
    """Cells beyond the header were dropped without a word; empty padding cells are no problem."""
    world = factories.world(engine)
    with read_session(engine) as s:
        plan = onboarding.preview_import(s, world.facilitator, world.community.id, filename, data)
    assert [(p.row, p.field) for p in plan.problems] == [(3, "file")]
    assert "Room 2" in plan.problems[0].message
    assert [r.row for r in plan.rows] == [2] and not plan.can_apply
