"""Recording, editing, holding, closing and reopening workshops, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from cop.core import clock
from cop.core.audit import AuditEvent
from cop.core.db import read_session, write_session
from cop.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from cop.workshops import agenda, attachments, attendance, outcomes
from cop.workshops import service as workshops
from cop.workshops.models import Workshop
from cop.workshops.service import READ_ONLY
from tests import factories
from tests.factories import World

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def w(engine: Engine) -> World:
    return factories.world(engine)


def _record(engine: Engine, actor, community_id: int, **fields) -> Workshop:  # noqa: ANN001
    return factories.workshop(engine, actor, community_id, **fields)


def _fields(engine: Engine, actor, community_id: int, **fields) -> dict[str, str]:  # noqa: ANN001
    with pytest.raises(ValidationError) as err:
        _record(engine, actor, community_id, **fields)
    return err.value.fields


def _load(engine: Engine, workshop_id: int) -> Workshop:
    with read_session(engine) as s:
        return s.get(Workshop, workshop_id)  # type: ignore[return-value]


def test_member_records_a_workshop_stored_in_utc_with_its_time_zone(
    engine: Engine, w: World
) -> None:
    made = _record(
        engine,
        w.member,
        w.community.id,
        title="  Welcoming volunteers  ",
        starts_at=datetime(2026, 1, 15, 10, 0),
        ends_at=datetime(2026, 1, 15, 12, 30),
    )
    stored = _load(engine, made.id)
    assert stored.title == "Welcoming volunteers"
    assert stored.status == "planned"
    assert stored.starts_at == datetime(2026, 1, 15, 9, 0, tzinfo=UTC)  # 10:00 Berlin in winter
    assert stored.ends_at == datetime(2026, 1, 15, 11, 30, tzinfo=UTC)
    assert stored.time_zone == "Europe/Berlin"
    with read_session(engine) as s:
        event = s.query(AuditEvent).filter_by(record_type="workshop", record_id=made.id).one()
    assert event.action == "workshop.create"
    assert event.community_id == w.community.id


def test_summer_wall_clock_time_uses_daylight_saving(engine: Engine, w: World) -> None:
    made = _record(
        engine,
        w.member,
        w.community.id,
        starts_at=datetime(2026, 7, 1, 10, 0),
        ends_at=datetime(2026, 7, 1, 11, 0),
    )
    assert _load(engine, made.id).starts_at == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)


def test_facilitator_records_online_workshop_with_link_hosted_by_a_city(
    engine: Engine, w: World
) -> None:
    city = factories.organisation(engine, "Düsseldorf")
    made = _record(
        engine,
        w.facilitator,
        w.community.id,
        format="online",
        place="",
        meeting_link="https://meet.example.org/cop",
        host_organisation_id=city,
        facilitator_ids=[w.facilitator.person_id],
        kind="city_dialogue",
    )
    stored = _load(engine, made.id)
    assert (stored.format, stored.meeting_link, stored.host_organisation_id) == (
        "online",
        "https://meet.example.org/cop",
        city,
    )
    assert stored.facilitator_ids == [w.facilitator.person_id]
    assert stored.kind == "city_dialogue"


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"title": "   "}, "title", "must not be empty"),
        ({"title": "x" * 201}, "title", "at most 200"),
        ({"objectives": "x" * 100_001}, "objectives", "at most 100,000"),
        ({"ends_at": datetime(2026, 3, 10, 9, 0)}, "ends_at", "before the start"),
        ({"ends_at": datetime(2026, 6, 9, 10, 0)}, "ends_at", "at most 90 days"),
        ({"format": "online", "place": ""}, "meeting_link", "needs a meeting link"),
        ({"format": "online", "meeting_link": "javascript:alert(1)"}, "meeting_link", "https://"),
        ({"format": "in_person", "place": " "}, "place", "needs a place"),
        (
            {"format": "hybrid", "meeting_link": "https://x.example", "place": ""},
            "place",
            "needs a place",
        ),
        (
            {"starts_at": datetime(1989, 12, 31, 10, 0)},
            "starts_at",
            "between 1990-01-01 and 2100-12-31",
        ),
        ({"ends_at": datetime(2101, 1, 1, 10, 0)}, "ends_at", "between 1990-01-01 and 2100-12-31"),
        ({"starts_at": "not a date"}, "starts_at", "date and time"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "time zone"),
        ({"kind": "party"}, "kind", "one of"),
        ({"host_organisation_id": 999_999}, "host_organisation_id", "exists"),
    ],
)
def test_bad_input_gets_a_field_level_message(
    engine: Engine, w: World, fields: dict, field: str, words: str
) -> None:
    errors = _fields(engine, w.member, w.community.id, **fields)
    assert field in errors
    assert words in errors[field]


def test_facilitator_outside_the_community_is_refused(engine: Engine, w: World) -> None:
    errors = _fields(engine, w.member, w.community.id, facilitator_ids=[w.outsider.person_id])
    assert "not a member" in errors["facilitator_ids"]


def test_every_field_message_arrives_at_once_and_nothing_is_written(
    engine: Engine, w: World
) -> None:
    errors = _fields(
        engine,
        w.member,
        w.community.id,
        title="",
        format="online",
        place="",
        ends_at=datetime(2026, 3, 9, 10, 0),
    )
    assert set(errors) >= {"title", "meeting_link", "ends_at"}
    with read_session(engine) as s:
        assert s.query(Workshop).count() == 0


@pytest.mark.parametrize("role", ["observer", "outsider"])
def test_observer_and_outsider_cannot_record_a_workshop(
    engine: Engine, w: World, role: str
) -> None:
    with pytest.raises(PermissionDenied):
        _record(engine, w.by_role(role), w.community.id)


def test_member_of_another_community_cannot_edit_this_communitys_workshop(
    engine: Engine, w: World
) -> None:
    other = factories.world(engine)
    made = _record(engine, w.member, w.community.id)
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        workshops.update_workshop(s, other.member, made.id, made.version, title="Taken over")


def test_outsider_of_a_private_community_finds_no_workshop(engine: Engine) -> None:
    private = factories.world(engine, visibility="private")
    made = _record(engine, private.member, private.community.id)
    with read_session(engine) as s, pytest.raises(NotFound):
        workshops.get_workshop(s, private.outsider, made.id)
    with write_session(engine) as s, pytest.raises(NotFound):
        workshops.update_workshop(s, private.outsider, made.id, made.version, title="x")
    with write_session(engine) as s, pytest.raises(NotFound):
        _record(engine, private.outsider, private.community.id)


def test_ids_from_the_address_bar_are_checked(engine: Engine, w: World) -> None:
    with read_session(engine) as s:
        for bad in ("abc", "1; DROP TABLE workshop", None, 10**9):
            with pytest.raises(NotFound):
                workshops.get_workshop(s, w.member, bad)


def test_update_keeps_unchanged_fields_and_checks_the_combination(engine: Engine, w: World) -> None:
    made = _record(engine, w.member, w.community.id)
    with write_session(engine) as s:
        workshops.update_workshop(
            s,
            w.facilitator,
            made.id,
            made.version,
            title="Renamed",
            objectives="Learn **together**",
        )
    stored = _load(engine, made.id)
    assert (stored.title, stored.objectives, stored.place, stored.version) == (
        "Renamed",
        "Learn **together**",
        "Town hall",
        2,
    )
    with write_session(engine) as s, pytest.raises(ValidationError) as err:
        workshops.update_workshop(s, w.member, made.id, stored.version, format="online")
    assert "meeting_link" in err.value.fields


def test_a_stale_save_is_refused_and_shows_the_other_change(engine: Engine, w: World) -> None:
    made = _record(engine, w.member, w.community.id, title="First title")
    with write_session(engine) as s:
        workshops.update_workshop(
            s, w.facilitator, made.id, made.version, title="Facilitator's title"
        )
    with write_session(engine) as s, pytest.raises(ConflictError) as err:
        workshops.update_workshop(s, w.member, made.id, made.version, title="Member's title")
    assert err.value.changed["title"]["now"] == "Facilitator's title"
    assert err.value.changed["title"]["was"] == "First title"
    assert err.value.changed["title"]["by"] == w.facilitator.username
    assert _load(engine, made.id).title == "Facilitator's title"


def _hold(engine: Engine, actor, workshop_id: int) -> Workshop:  # noqa: ANN001
    with write_session(engine) as s:
        return workshops.mark_held(s, actor, workshop_id, _load(engine, workshop_id).version)


def _close(engine: Engine, actor, workshop_id: int, **texts) -> Workshop:  # noqa: ANN001
    with write_session(engine) as s:
        return workshops.close_workshop(
            s, actor, workshop_id, _load(engine, workshop_id).version, **texts
        )


def test_lifecycle_planned_held_closed_reopened(engine: Engine, w: World) -> None:
    made = _record(engine, w.member, w.community.id)
    _hold(engine, w.member, made.id)
    assert _load(engine, made.id).status == "held"
    _close(engine, w.member, made.id, minutes="We met.", closing_report="## Report\nGood.")
    closed = _load(engine, made.id)
    assert (closed.status, closed.minutes, closed.closing_report) == (
        "closed",
        "We met.",
        "## Report\nGood.",
    )
    assert closed.closed_at is not None
    with write_session(engine) as s:
        workshops.reopen_workshop(s, w.facilitator, made.id, closed.version)
    reopened = _load(engine, made.id)
    assert (reopened.status, reopened.closed_at) == ("held", None)
    with read_session(engine) as s:
        actions = [
            e.action
            for e in s.query(AuditEvent)
            .filter_by(record_type="workshop", record_id=made.id)
            .order_by(AuditEvent.id)
        ]
    assert actions == ["workshop.create", "workshop.hold", "workshop.close", "workshop.reopen"]


def test_closing_needs_minutes_or_a_report(engine: Engine, w: World) -> None:
    made = _record(engine, w.member, w.community.id)
    _hold(engine, w.member, made.id)
    with pytest.raises(ValidationError) as err:
        _close(engine, w.member, made.id, minutes="  ", closing_report="")
    assert "minutes or a closing report" in err.value.fields["minutes"]
    _close(engine, w.member, made.id, closing_report="Only a report")
    assert _load(engine, made.id).status == "closed"


def test_only_a_held_workshop_can_be_closed(engine: Engine, w: World) -> None:
    made = _record(engine, w.member, w.community.id)
    with pytest.raises(ValidationError) as err:
        _close(engine, w.member, made.id, minutes="Too early")
    assert "held" in err.value.fields["status"]


def test_observer_cannot_close_and_member_cannot_reopen(engine: Engine, w: World) -> None:
    made = _record(engine, w.member, w.community.id)
    _hold(engine, w.member, made.id)
    with pytest.raises(PermissionDenied):
        _close(engine, w.observer, made.id, minutes="x")
    _close(engine, w.member, made.id, minutes="x")
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        workshops.reopen_workshop(s, w.member, made.id, _load(engine, made.id).version)
    with write_session(engine) as s:
        workshops.reopen_workshop(s, w.admin, made.id, _load(engine, made.id).version)


def test_a_closed_workshop_is_read_only_until_a_facilitator_reopens_it(
    engine: Engine, w: World
) -> None:
    made = _record(engine, w.member, w.community.id)
    with write_session(engine) as s:
        item = agenda.add_agenda_item(s, w.member, made.id, title="Welcome")
        out = outcomes.add_outcome(
            s, w.member, made.id, kind="insight", text="Volunteers need training"
        )
        guest = attendance.add_guest(s, w.member, made.id, name="Ana", organisation="Red Cross")
        file = attachments.add_attachment(s, w.member, made.id, filename="p.png", content=PNG)
    _hold(engine, w.member, made.id)
    _close(engine, w.member, made.id, minutes="Done")
    version = _load(engine, made.id).version
    edits = [
        lambda s: workshops.update_workshop(s, w.facilitator, made.id, version, title="Changed"),
        lambda s: workshops.delete_workshop(s, w.facilitator, made.id),
        lambda s: workshops.close_workshop(s, w.facilitator, made.id, version, minutes="again"),
        lambda s: workshops.mark_held(s, w.facilitator, made.id, version),
        lambda s: agenda.add_agenda_item(s, w.facilitator, made.id, title="Late item"),
        lambda s: agenda.update_agenda_item(
            s, w.facilitator, item.id, item.version, title="Changed"
        ),
        lambda s: agenda.remove_agenda_item(s, w.facilitator, item.id),
        lambda s: outcomes.add_outcome(s, w.facilitator, made.id, kind="decision", text="Late"),
        lambda s: outcomes.update_outcome(
            s, w.facilitator, out.id, out.version, kind="decision", text="x"
        ),
        lambda s: outcomes.remove_outcome(s, w.facilitator, out.id),
        lambda s: attendance.add_guest(s, w.facilitator, made.id, name="Late", organisation="NGO"),
        lambda s: attendance.update_attendance(
            s, w.facilitator, guest.id, guest.version, role="host", attended=True
        ),
        lambda s: attendance.remove_attendance(s, w.facilitator, guest.id),
        lambda s: attachments.add_attachment(
            s, w.facilitator, made.id, filename="q.png", content=PNG
        ),
        lambda s: attachments.update_attachment(
            s,
            w.facilitator,
            file.id,
            file.version,
            caption="x",
            shows_people=False,
            consent_confirmed=False,
        ),
        lambda s: attachments.remove_attachment(s, w.facilitator, file.id),
    ]
    for edit in edits:
        with (
            write_session(engine) as s,
            pytest.raises(PermissionDenied, match="closed and read-only"),
        ):
            edit(s)
    assert READ_ONLY.startswith("This workshop is closed")
    with write_session(engine) as s:
        workshops.reopen_workshop(s, w.facilitator, made.id, version)
    with write_session(engine) as s:
        agenda.add_agenda_item(s, w.member, made.id, title="Late item")
        workshops.update_workshop(
            s, w.member, made.id, version + 1, title="Changed after reopening"
        )
    assert _load(engine, made.id).title == "Changed after reopening"


def test_delete_hides_and_restore_brings_back(engine: Engine, w: World) -> None:
    made = _record(engine, w.member, w.community.id)
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        workshops.delete_workshop(s, w.observer, made.id)
    with write_session(engine) as s:
        workshops.delete_workshop(s, w.member, made.id)
    with read_session(engine) as s, pytest.raises(NotFound):
        workshops.get_workshop(s, w.member, made.id)
    with write_session(engine) as s:
        workshops.restore_workshop(s, w.member, made.id)
    with read_session(engine) as s:
        assert workshops.get_workshop(s, w.observer, made.id).id == made.id


titles = (
    st.text(min_size=1, max_size=200)
    .map(str.strip)
    .filter(
        lambda t: (
            0 < len(t)
            and not any(c in t for c in "\n\r")
            and not any(ord(c) < 32 or ord(c) == 127 for c in t)
        )
    )
)
notes = st.text(max_size=2000).filter(lambda t: "\x00" not in t)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=titles, objectives=notes, minutes=notes)
def test_any_unicode_title_and_notes_round_trip_verbatim(
    engine: Engine, w: World, title: str, objectives: str, minutes: str
) -> None:
    assume(title.strip() == title)
    made = _record(engine, w.member, w.community.id, title=title, objectives=objectives)
    with write_session(engine) as s:
        workshops.update_workshop(s, w.member, made.id, made.version, minutes=minutes)
    stored = _load(engine, made.id)
    assert (stored.title, stored.objectives, stored.minutes) == (title, objectives, minutes)


def test_right_to_left_emoji_and_combining_marks_are_kept(engine: Engine, w: World) -> None:
    title = "ورشة 👩🏽‍🤝‍👩🏻 e\u0301quipe \u200f{{7*7}} <script>"
    made = _record(engine, w.member, w.community.id, title=title, objectives="% _ \\ ' OR 1=1 --")
    stored = _load(engine, made.id)
    assert (stored.title, stored.objectives) == (title, "% _ \\ ' OR 1=1 --")


def test_a_workshop_that_has_not_begun_cannot_be_marked_held(engine: Engine, w: World) -> None:
    """Issue 17, defect 4: a future workshop could be held and closed, and counted in key results."""
    clock.freeze(
        datetime(2026, 3, 10, 8, 59, tzinfo=UTC)
    )  # the factory's workshop starts 09:00 UTC
    made = _record(engine, w.member, w.community.id)
    with pytest.raises(ValidationError) as err:
        _hold(engine, w.member, made.id)
    assert "has not begun yet" in err.value.fields["status"]
    assert _load(engine, made.id).status == "planned"
    clock.freeze(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    _hold(engine, w.member, made.id)
    assert _load(engine, made.id).status == "held"


def test_a_held_workshop_cannot_be_moved_into_the_future(engine: Engine, w: World) -> None:
    clock.freeze(datetime(2026, 3, 11, 12, 0, tzinfo=UTC))
    made = _record(engine, w.member, w.community.id)
    _hold(engine, w.member, made.id)
    with write_session(engine) as s, pytest.raises(ValidationError) as err:
        workshops.update_workshop(
            s,
            w.member,
            made.id,
            _load(engine, made.id).version,
            starts_at=datetime(2026, 4, 1, 10, 0),
            ends_at=datetime(2026, 4, 1, 12, 0),
        )
    assert "has not begun yet" in err.value.fields["starts_at"]
    assert _load(engine, made.id).starts_at == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "zone",
    [
        pytest.param("Europe", id="region-folder"),
        pytest.param("America", id="america-folder"),
        pytest.param("Etc", id="etc-folder"),
        pytest.param("Europe/" + "B" * 300, id="over-255-bytes"),
        pytest.param(["Europe/Berlin"], id="a-list"),
    ],
)
def test_a_time_zone_must_be_a_known_iana_name_when_recording_and_editing(
    engine: Engine, w: World, zone: object
) -> None:
    """Folders of the zone database raised IsADirectoryError, long names OSError, not a field message."""
    assert "time zone" in _fields(engine, w.member, w.community.id, time_zone=zone)["time_zone"]
    made = factories.workshop(engine, w.member, w.community.id)
    with write_session(engine) as s, pytest.raises(ValidationError) as err:
        workshops.update_workshop(s, w.member, made.id, made.version, time_zone=zone)
    assert "time zone" in err.value.fields["time_zone"]
    assert _load(engine, made.id).time_zone == "Europe/Berlin"  # type: ignore[arg-type]
