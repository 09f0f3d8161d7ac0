"""What the map reads: only the readable communities' members, workshops and practices; the year
narrows workshops and practices but not the members; visiting cities come from attendance."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy.engine import Engine

from cop.communities import people
from cop.core.db import read_session, write_session
from cop.core.permissions import SYSTEM, Role
from cop.map.queries import MapData, map_data
from cop.practices import service as practices
from cop.workshops import attendance
from tests import factories


def _city(engine: Engine, name: str, lat: float, lon: float, country: str) -> int:
    with write_session(engine) as s:
        org = people.create_organisation(
            s, SYSTEM, name=name, kind="city", country=country, latitude=lat, longitude=lon
        )
        return org.id  # type: ignore[return-value]


@pytest.fixture
def setup(engine: Engine) -> dict:
    """Two communities: a workspace one (Ghent hosts a 2025 visit from Lisbon, a 2026 workshop,
    a practice) and a private one (Zagreb hosts a workshop)."""
    ghent = _city(engine, "Ghent", 51.05, 3.72, "BE")
    lisbon = _city(engine, "Lisbon", 38.72, -9.14, "PT")
    zagreb = _city(engine, "Zagreb", 45.81, 15.98, "HR")
    open_c = factories.community(engine, name="Welcoming")
    private = factories.community(engine, visibility="private", name="Youth")
    host = factories.actor(engine, Role.FACILITATOR, open_c.id, organisation_id=ghent)
    guest = factories.actor(engine, Role.MEMBER, open_c.id, organisation_id=lisbon)
    insider = factories.actor(engine, Role.FACILITATOR, private.id, organisation_id=zagreb)
    visit = factories.workshop(
        engine,
        host,
        open_c.id,
        title="Visit to Ghent",
        kind="study_visit",
        host_organisation_id=ghent,
        starts_at=datetime(2025, 5, 6, 9),
        ends_at=datetime(2025, 5, 7, 17),
    )
    factories.workshop(
        engine,
        host,
        open_c.id,
        title="Buddy programmes",
        host_organisation_id=ghent,
        starts_at=datetime(2026, 3, 10, 9),
        ends_at=datetime(2026, 3, 10, 17),
    )
    secret = factories.workshop(
        engine, insider, private.id, title="Secret workshop", host_organisation_id=zagreb
    )
    with write_session(engine) as s:
        attendance.add_attendee(s, host, visit.id, person_id=guest.person_id)  # type: ignore[arg-type]
        attendance.add_attendee(s, host, visit.id, person_id=host.person_id)  # type: ignore[arg-type]
        practice = practices.create_practice(
            s,
            host,
            open_c.id,
            title="Welcome points",
            organisation_id=ghent,
            started_on=date(2026, 1, 1),
        )
    return {
        "ghent": ghent,
        "lisbon": lisbon,
        "zagreb": zagreb,
        "open": open_c.id,
        "private": private.id,
        "host": host,
        "outsider": factories.actor(engine),
        "insider": insider,
        "visit": visit.id,
        "secret": secret.id,
        "practice": practice.id,
    }


def _read(engine: Engine, actor, community_id=None, year=None) -> MapData:  # noqa: ANN001
    with read_session(engine) as s:
        return map_data(s, actor, community_id, year)


def test_members_workshops_visitors_and_practices_are_placed(engine: Engine, setup: dict) -> None:
    data = _read(engine, setup["host"])
    by_name = {p.name: p for p in data.places}
    assert set(by_name) == {"Ghent", "Lisbon"}  # the private community's Zagreb is not read
    ghent = by_name["Ghent"]
    assert (ghent.latitude, ghent.longitude, ghent.country) == (51.05, 3.72, "BE")
    assert (ghent.hosted, ghent.practices, ghent.communities) == (2, 1, ("Welcoming",))
    assert by_name["Lisbon"].visits == 1
    visit = next(e for e in data.events if e.id == setup["visit"])
    assert visit.host_id == setup["ghent"]
    assert visit.visitor_ids == (setup["lisbon"],)  # the host's own people are not visitors
    assert [p.id for p in data.practices] == [setup["practice"]]  # a member reads the draft
    assert data.years == [2026, 2025]


def test_a_private_communitys_workshop_is_absent_for_an_outsider(
    engine: Engine, setup: dict
) -> None:
    outsider = _read(engine, setup["outsider"])
    assert setup["secret"] not in {e.id for e in outsider.events}
    assert "Zagreb" not in {p.name for p in outsider.places}
    assert outsider.practices == []  # a draft is for the community's members
    assert _read(engine, setup["outsider"], setup["private"]) == MapData([], [], [], [])
    insider = _read(engine, setup["insider"], setup["private"])
    assert [e.id for e in insider.events] == [setup["secret"]]
    assert [p.name for p in insider.places] == ["Zagreb"]


def test_the_year_narrows_workshops_and_practices_not_members(engine: Engine, setup: dict) -> None:
    in_2025 = _read(engine, setup["host"], setup["open"], 2025)
    assert [e.id for e in in_2025.events] == [setup["visit"]]
    assert in_2025.practices == []  # it started in 2026
    assert {p.name for p in in_2025.places} == {"Ghent", "Lisbon"}
    assert in_2025.years == [2026, 2025]  # the year filter still offers every year
    in_2026 = _read(engine, setup["host"], setup["open"], 2026)
    assert [e.title for e in in_2026.events] == ["Buddy programmes"]
    assert [p.id for p in in_2026.practices] == [setup["practice"]]


def test_an_admin_reads_every_community(engine: Engine, setup: dict) -> None:
    admin = factories.actor(engine, admin=True)
    assert {p.name for p in _read(engine, admin).places} == {"Ghent", "Lisbon", "Zagreb"}
