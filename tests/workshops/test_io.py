"""Workshops out (CSV, iCalendar, attendance CSV) and in (CSV import with a dry run, all-or-nothing)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from cop.core import clock
from cop.core.audit import AuditEvent
from cop.core.db import read_session, write_session
from cop.core.errors import NotFound, PermissionDenied
from cop.export.csv_safe import FORMULA_STARTS, csv_bytes, safe_cell
from cop.workshops import attendance
from cop.workshops import io as workshop_io
from cop.workshops.models import Workshop
from tests import factories
from tests.factories import World


@pytest.fixture
def w(engine: Engine) -> World:
    return factories.world(engine)


def _cells(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_safe_cell_defuses_formulas_and_keeps_numbers() -> None:
    for start in FORMULA_STARTS:
        assert safe_cell(f"{start}SUM(A1)") == f"'{start}SUM(A1)"
    assert safe_cell("＝cmd|' /C calc'!A0") == "'＝cmd|' /C calc'!A0"
    assert (safe_cell(-5), safe_cell(2.5), safe_cell(True), safe_cell(None)) == (-5, 2.5, "yes", "")
    assert safe_cell("Düsseldorf") == "Düsseldorf"
    assert _cells(csv_bytes(["a", "b"], [[-3, "-3"]]))[1] == ["-3", "'-3"]


def test_csv_export_lists_the_filtered_workshops_in_local_time(engine: Engine, w: World) -> None:
    city = factories.organisation(engine, "Düsseldorf")
    made = factories.workshop(
        engine,
        w.member,
        w.community.id,
        title="Willkommen in Düsseldorf",
        host_organisation_id=city,
        kind="study_visit",
    )
    factories.workshop(engine, w.member, w.community.id, title="Other kind")
    with read_session(engine) as s:
        data = workshop_io.export_workshops_csv(s, w.observer, kind="study_visit")
    header, *rows = _cells(data)
    assert header == workshop_io.EXPORT_COLUMNS
    assert rows == [
        [
            str(made.id),
            w.community.name,
            "Willkommen in Düsseldorf",
            "study_visit",
            "in_person",
            "planned",
            "2026-03-10T10:00+01:00",
            "2026-03-10T16:00+01:00",
            "Europe/Berlin",
            "Town hall",
            "",
            "Düsseldorf",
            "0",
        ]
    ]


def test_csv_export_pages_through_every_match(
    engine: Engine, w: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workshop_io, "EXPORT_PAGE", 2)
    for n in range(5):
        factories.workshop(engine, w.member, w.community.id, title=f"W{n}")
    with read_session(engine) as s:
        rows = _cells(
            workshop_io.export_workshops_csv(s, w.member, sort="title", descending=False)
        )[1:]
    assert [r[2] for r in rows] == ["W0", "W1", "W2", "W3", "W4"]


formula_titles = st.builds(
    lambda start, rest: (start + rest).strip() or start,
    st.sampled_from(["=", "+", "-", "@", "＝", "＋", "－", "＠", "a", "1"]),
    st.text(max_size=40).filter(
        lambda t: (
            not any(c in t for c in "\n\r\x00") and not any(ord(c) < 32 or ord(c) == 127 for c in t)
        )
    ),
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=formula_titles, place=formula_titles)
def test_csv_export_never_emits_a_cell_starting_with_a_formula_character(
    engine: Engine, w: World, title: str, place: str
) -> None:
    factories.workshop(engine, w.member, w.community.id, title=title, place=place)
    with read_session(engine) as s:
        data = workshop_io.export_workshops_csv(s, w.member)
    for row in _cells(data):
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS) or _is_number(cell), cell


def test_ics_parses_and_carries_the_right_utc_instants(engine: Engine, w: World) -> None:
    factories.workshop(
        engine,
        w.member,
        w.community.id,
        title="Winter in Berlin",
        starts_at=datetime(2026, 1, 20, 10, 0),
        ends_at=datetime(2026, 1, 20, 12, 0),
    )
    factories.workshop(
        engine,
        w.member,
        w.community.id,
        title="Summer in Lisbon",
        time_zone="Europe/Lisbon",
        format="hybrid",
        meeting_link="https://meet.example/lisbon",
        place="Câmara Municipal",
        starts_at=datetime(2026, 7, 1, 10, 0),
        ends_at=datetime(2026, 7, 1, 11, 0),
    )
    with read_session(engine) as s:
        data = workshop_io.export_workshops_ics(s, w.observer, sort="starts_at", descending=False)
    cal = icalendar.Calendar.from_ical(data)
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    berlin, lisbon = events["Winter in Berlin"], events["Summer in Lisbon"]
    assert berlin.decoded("dtstart").astimezone(UTC) == datetime(2026, 1, 20, 9, 0, tzinfo=UTC)
    assert berlin.decoded("dtend").astimezone(UTC) == datetime(2026, 1, 20, 11, 0, tzinfo=UTC)
    assert berlin["dtstart"].params["TZID"] == "Europe/Berlin"
    assert lisbon.decoded("dtstart").astimezone(UTC) == datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    assert str(lisbon["location"]) == "Câmara Municipal"
    assert str(lisbon["url"]) == "https://meet.example/lisbon"
    assert {str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")} == {"Europe/Berlin", "Europe/Lisbon"}
    assert b"Winter in Berlin" in data and b"\r\n" in data


def test_attendance_export_is_for_facilitators_and_audited(engine: Engine, w: World) -> None:
    made = factories.workshop(engine, w.member, w.community.id)
    with write_session(engine) as s:
        attendance.add_guest(
            s, w.member, made.id, name="=Evil()", organisation="Red Cross", attended=True
        )
    for role in ("member", "observer", "outsider"):
        with write_session(engine) as s, pytest.raises(PermissionDenied):
            workshop_io.export_attendance_csv(s, w.by_role(role), made.id)
    with write_session(engine) as s:
        data = workshop_io.export_attendance_csv(s, w.facilitator, made.id)
    assert _cells(data) == [
        ["name", "organisation", "role", "attended", "guest"],
        ["'=Evil()", "Red Cross", "participant", "yes", "yes"],
    ]
    with read_session(engine) as s:
        events = s.query(AuditEvent).filter_by(action="attendance.export").all()
    assert [(e.actor_user_id, e.record_id, e.community_id) for e in events] == [
        (w.facilitator.user_id, made.id, w.community.id)
    ]


def test_attendance_export_of_a_private_community_does_not_exist_for_outsiders(
    engine: Engine,
) -> None:
    private = factories.world(engine, visibility="private")
    made = factories.workshop(engine, private.member, private.community.id)
    with write_session(engine) as s, pytest.raises(NotFound):
        workshop_io.export_attendance_csv(s, private.outsider, made.id)


GOOD = (
    "title,kind,format,starts_at,ends_at,time_zone,place,meeting_link,host_organisation,objectives,status,minutes\r\n"
    "Visit to Ghent,study_visit,in_person,2025-05-06 09:00,2025-05-07 17:00,Europe/Brussels,City hall,,Ghent,Learn,held,\r\n"
    "Online kick-off,workshop,online,2025-01-10T10:00,2025-01-10T11:30,Europe/Berlin,,https://meet.example/k,,,closed,We started.\r\n"
)


def _import(
    engine: Engine, actor, community_id: int, text: str, dry_run: bool
) -> workshop_io.ImportReport:  # noqa: ANN001
    with write_session(engine) as s:
        return workshop_io.import_workshops_csv(
            s, actor, community_id, ("\ufeff" + text).encode(), dry_run=dry_run
        )


def _count(engine: Engine) -> int:
    with read_session(engine) as s:
        return s.query(Workshop).count()


def test_import_previews_in_a_dry_run_then_records_all_rows(engine: Engine, w: World) -> None:
    clock.freeze(datetime(2026, 1, 1, tzinfo=UTC))
    ghent = factories.organisation(engine, "Ghent")
    preview = _import(engine, w.facilitator, w.community.id, GOOD, dry_run=True)
    assert preview.ok and [r["title"] for r in preview.rows] == [
        "Visit to Ghent",
        "Online kick-off",
    ]
    assert preview.rows[0]["host_organisation_id"] == ghent
    assert _count(engine) == 0
    report = _import(engine, w.facilitator, w.community.id, GOOD, dry_run=False)
    assert len(report.created) == 2
    with read_session(engine) as s:
        stored = {x.title: x for x in s.query(Workshop)}
    assert stored["Visit to Ghent"].starts_at == datetime(2025, 5, 6, 7, 0, tzinfo=UTC)
    assert stored["Visit to Ghent"].status == "held"
    assert (stored["Online kick-off"].status, stored["Online kick-off"].minutes) == (
        "closed",
        "We started.",
    )
    assert stored["Online kick-off"].closed_at == stored["Online kick-off"].ends_at


def test_one_broken_row_writes_nothing_and_every_problem_is_reported(
    engine: Engine, w: World
) -> None:
    clock.freeze(datetime(2026, 1, 1, tzinfo=UTC))
    factories.organisation(engine, "Ghent")
    broken = GOOD + (
        "  ,party,online,2025-02-01 10:00,2025-01-01 10:00,Mars/Base,,,Atlantis,,closed,\r\n"
        "Future,workshop,in_person,2027-01-01 10:00,2027-01-01 11:00,Europe/Rome,Rome,,,,,\r\n"
    )
    for dry_run in (True, False):
        report = _import(engine, w.facilitator, w.community.id, broken, dry_run=dry_run)
        assert not report.ok and report.created == []
        assert set(report.errors) == {4, 5}
        assert set(report.errors[4]) >= {
            "title",
            "kind",
            "time_zone",
            "host_organisation",
            "minutes",
        }
        assert "past" in report.errors[5]["starts_at"]
    assert _count(engine) == 0


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"title,kind\r\nA,workshop\r\n", "Missing columns"),
        (b"title,kind,format,starts_at,ends_at,time_zone\r\n", "no rows"),
        (
            "title,kind,format,starts_at,ends_at,time_zone\r\nCaf\xe9,workshop".encode("latin-1"),
            "UTF-8",
        ),
    ],
)
def test_a_file_that_is_not_a_workshop_csv_is_refused(
    engine: Engine, w: World, data: bytes, words: str
) -> None:
    with write_session(engine) as s:
        report = workshop_io.import_workshops_csv(
            s, w.facilitator, w.community.id, data, dry_run=False
        )
    assert words in report.errors[1]["file"]
    assert _count(engine) == 0


@pytest.mark.parametrize("role", ["member", "observer", "outsider"])
def test_only_facilitators_import(engine: Engine, w: World, role: str) -> None:
    with pytest.raises(PermissionDenied):
        _import(engine, w.by_role(role), w.community.id, GOOD, dry_run=True)


ZONES_THAT_ARE_NOT_ZONES = [
    pytest.param("Europe", id="region-folder"),
    pytest.param("America", id="america-folder"),
    pytest.param("Etc", id="etc-folder"),
    pytest.param("Europe/" + "B" * 300, id="over-255-bytes"),
]


@pytest.mark.parametrize("zone", ZONES_THAT_ARE_NOT_ZONES)
def test_a_time_zone_that_is_not_an_iana_name_is_a_reported_row(
    engine: Engine, w: World, zone: str
) -> None:
    """Names the zone files hold as folders or cannot open raised OSError (an exception box)."""
    clock.freeze(datetime(2026, 1, 1, tzinfo=UTC))
    text = (
        "title,kind,format,starts_at,ends_at,time_zone\r\n"
        f"Visit,workshop,in_person,2025-05-06 09:00,2025-05-06 17:00,{zone}\r\n"
    )
    report = _import(engine, w.facilitator, w.community.id, text, dry_run=True)
    assert set(report.errors) == {2}
    assert "time zone" in report.errors[2]["time_zone"]
    assert _count(engine) == 0


@pytest.mark.parametrize(
    ("header", "row"),
    [
        pytest.param(
            "title,kind,format,starts_at,ends_at,time_zone,place",
            "Visit,workshop,in_person,2025-05-06 09:00,2025-05-06 17:00,Europe/Berlin,Hall, Room 2",
            id="unquoted-comma-in-the-last-cell",
        ),
        pytest.param(
            "title,kind,format,starts_at,ends_at,time_zone,place",
            "Visit,workshop,in_person,2025-05-06 09:00,2025-05-06 17:00,Europe/Berlin,Hall,,Room 2",
            id="cell-beyond-the-header",
        ),
    ],
)
def test_a_row_with_more_cells_than_the_header_is_a_reported_problem(
    engine: Engine, w: World, header: str, row: str
) -> None:
    """The csv module hands extra cells over under no name: they were dropped without a word."""
    clock.freeze(datetime(2026, 1, 1, tzinfo=UTC))
    good = "Talk,workshop,in_person,2025-01-10T10:00,2025-01-10T11:00,Europe/Berlin,Hall"
    text = f"{header}\r\n{good}\r\n{row}\r\n"
    for dry_run in (True, False):
        report = _import(engine, w.facilitator, w.community.id, text, dry_run=dry_run)
        assert set(report.errors) == {3}, report.errors
        assert "Room 2" in str(report.errors[3]["file"])
    assert _count(engine) == 0


def test_empty_cells_after_the_last_column_lose_nothing_and_are_no_problem(
    engine: Engine, w: World
) -> None:
    """Spreadsheets pad every row to the widest one: empty trailing cells hold nothing to lose."""
    clock.freeze(datetime(2026, 1, 1, tzinfo=UTC))
    text = (
        "title,kind,format,starts_at,ends_at,time_zone,place\r\n"
        "Visit,workshop,in_person,2025-05-06 09:00,2025-05-06 17:00,Europe/Berlin,Hall,,\r\n"
    )
    report = _import(engine, w.facilitator, w.community.id, text, dry_run=True)
    assert report.ok, report.errors
    assert report.rows[0]["place"] == "Hall"
