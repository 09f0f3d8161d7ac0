"""The map page on the demo workspace: the chart is drawn with the shipped outline (fetched from the
app's own host, never sent with the run), the text alternative lists the demo cities, the year narrows it, a click opens the record."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from cop.map import chart
from cop.map.web import outline_address
from tests.page_fixtures import texts


def _spec(at: AppTest) -> dict:
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


def charts_bytes(at: AppTest) -> str:
    return at.get("vega_lite_chart")[0].proto.spec


def test_the_map_draws_the_shipped_outline_and_lists_the_demo_cities(run_page) -> None:
    at = run_page("map", "facilitator")
    assert not at.exception, at.exception
    spec = _spec(at)
    outline, lines, points = spec["layer"]
    assert outline["data"]["format"] == {"type": "topojson", "feature": "countries"}
    # The outline comes from the app's own route, relative to the page; only the marks travel.
    assert outline["data"]["url"] == outline_address()
    assert outline["data"]["url"].startswith("outlines/europe.json?v=")
    assert len(charts_bytes(at)) < 100_000, "the 180 kB outline must not travel with every run"
    targets = {m["target"].split(":")[0] for m in points["data"]["values"]}
    assert targets == {"place", "workshop", "practice"}
    assert lines["data"]["values"], "study visits join the host to the cities that came"
    places = at.dataframe[0].value
    assert {"Düsseldorf", "Ghent", "Lisbon", "Zagreb", "Helsinki", "MigrationWork CIC"} <= set(
        places["Name"]
    )
    assert "Map" in texts(at)
    # A country by its name in the reader's language, never its code.
    assert {"Belgium", "Greece"} <= set(places["Country"]) and "GR" not in set(places["Country"])


def test_an_observer_does_not_see_the_private_communitys_cities(run_page) -> None:
    at = run_page("map", "observer")
    assert not at.exception, at.exception
    names = set(at.dataframe[0].value["Name"])
    assert {"Düsseldorf", "Athens"} <= names
    assert not names & {"Gothenburg", "Helsinki", "Riga"}  # young-migrants is private
    titles = json.dumps(_spec(at)["layer"][2]["data"]["values"], ensure_ascii=False)
    assert "Helsinki" not in titles


def test_the_year_narrows_the_workshops(run_page) -> None:
    at = run_page("map", "facilitator")
    every = len(at.dataframe[1].value)
    years = [o for o in at.selectbox(key="map_year").options if o != "Every year"]
    assert len(years) >= 2
    at.selectbox(key="map_year").select(int(years[-1])).run()
    assert not at.exception, at.exception
    assert 0 < len(at.dataframe[1].value) < every


def _many_workshops_at(demo_db: str, host: str, count: int) -> int:
    """``count`` workshops of the welcoming-culture community hosted by ``host``, through the
    service; each has the same two cities' people attending. Returns the host's id."""
    from datetime import UTC, datetime, timedelta

    from sqlmodel import select

    from cop.communities import service as communities
    from cop.communities.models import Membership, Organisation, Person
    from cop.core import db
    from cop.core.permissions import SYSTEM
    from cop.workshops import attendance
    from cop.workshops import service as workshops

    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    with db.write_session(db.get_engine(demo_db)) as session:
        community = communities.get_by_slug(session, SYSTEM, "welcoming-culture")
        host_id = session.exec(select(Organisation.id).where(Organisation.name == host)).one()
        visitors = session.exec(
            select(Person.id)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.community_id == community.id, Person.organisation_id != host_id)
            .limit(2)
        ).all()
        for number in range(count):
            workshop = workshops.record_workshop(
                session,
                SYSTEM,
                community_id=community.id,  # type: ignore[arg-type]
                title=f"Busy host session {number:03d}",
                kind="workshop",
                format="in_person",
                starts_at=start + timedelta(days=number),
                ends_at=start + timedelta(days=number, hours=2),
                time_zone="Europe/Lisbon",
                place=host,
                host_organisation_id=host_id,
            )
            for person_id in visitors:
                attendance.add_attendee(session, SYSTEM, workshop.id, person_id=person_id)  # type: ignore[arg-type]
    return int(host_id)


def test_a_place_with_many_workshops_shows_them_as_one_mark_with_their_number(
    demo_db: str, run_page
) -> None:
    """Fifty workshops at one host were fifty marks on rings around it and fifty lines to each
    city that came: past a dozen records a place has one mark per kind saying how many, and a
    city that came is joined to the host by one line, however often its people came."""
    host_id = _many_workshops_at(demo_db, "Lisbon", 50)
    at = run_page("map", "facilitator")
    assert not at.exception, at.exception
    _outline, lines, points = _spec(at)["layer"]
    marks = points["data"]["values"]
    assert not [m for m in marks if m["name"].startswith("Busy host session")]
    at_host = [m for m in marks if m["target"] == f"place:{host_id}" and m["kind"] == "workshop"]
    assert len(at_host) == 1
    assert at_host[0]["name"].startswith("5") and "workshops" in at_host[0]["name"]
    pairs = [
        (line["lat"], line["lon"], line["lat2"], line["lon2"]) for line in lines["data"]["values"]
    ]
    assert len(pairs) == len(set(pairs)), "one line per host and city that came"
    assert len(marks) < 80


def test_the_records_table_lists_the_newest_and_says_how_many_more(
    demo_db: str, run_page, monkeypatch
) -> None:
    from cop.map.ui import page

    monkeypatch.setattr(page, "RECORDS_AT_MOST", 20)
    _many_workshops_at(demo_db, "Lisbon", 30)
    at = run_page("map", "facilitator")
    assert not at.exception, at.exception
    records = at.dataframe[1].value
    assert len(records) == 20
    assert "Busy host session 029" in set(records["Title"])  # the newest first
    assert any("20 newest" in c.value for c in at.caption), [c.value for c in at.caption]


def test_the_records_table_is_a_few_screens_and_says_how_to_see_the_rest(
    demo_db: str, run_page
) -> None:
    """Issue 24: the table listed the newest thousand records, 232 kB of every run of the
    large workspace's map."""
    _many_workshops_at(demo_db, "Lisbon", 260)
    at = run_page("map", "facilitator")
    assert not at.exception, at.exception
    assert len(at.dataframe[1].value) == 250
    (said,) = [c.value for c in at.caption if "250 newest" in c.value]
    assert "choose a year or a community" in said


def test_a_mark_names_three_of_its_places_communities_and_how_many_more() -> None:
    """A city of the large workspace is a member of two dozen communities: each of its marks
    carried all their names twice (tooltip and description), 1.6 MB of chart per run."""
    from cop.core.permissions import Actor
    from cop.map.queries import MapData, Place
    from cop.map.ui.page import _marks

    names = tuple(f"Community {n:02d}" for n in range(24))
    city = Place(1, "Aarhus Kommune", "city", "DK", 56.16, 10.2, names, 0, 0, 0)
    actor = Actor(user_id=1, username="reader", name="Reader")
    marks, _lines, _routes = _marks(actor, MapData([city], [], [], []))
    assert marks[0]["community"] == "Community 00, Community 01, Community 02 and 21 more"


def test_the_places_table_names_three_communities_of_a_place_and_how_many_more() -> None:
    """The same place in the text alternative: its row carried every community's name, a
    third of the large workspace's map page (296 kB of 900)."""
    from cop.core.permissions import Actor
    from cop.map.queries import MapData, Place
    from cop.map.ui.page import _place_rows

    names = tuple(f"Community {n:02d}" for n in range(24))
    city = Place(1, "Aarhus Kommune", "city", "DK", 56.16, 10.2, names, 0, 0, 0)
    small = Place(2, "Lisboa", "city", "PT", 38.7, -9.1, names[:3], 0, 0, 0)
    actor = Actor(user_id=1, username="reader", name="Reader")
    rows = _place_rows(actor, MapData([city, small], [], [], []))
    assert rows[0]["Communities"] == "Community 00, Community 01, Community 02 and 21 more"
    assert rows[1]["Communities"] == "Community 00, Community 01, Community 02"


def test_the_marks_are_made_once_until_anything_is_written(run_page, monkeypatch) -> None:
    """Counting a large workspace's workshops by place and route was most of every run, even
    one that only opened a place's card."""
    from cop.map.ui import page

    made: list[int] = []
    real = page._marks

    def counting(actor, data):  # type: ignore[no-untyped-def]
        made.append(1)
        return real(actor, data)

    monkeypatch.setattr(page, "_marks", counting)
    at = run_page("map", "facilitator")
    at.run()
    at.run()
    assert not at.exception, at.exception
    assert len(made) == 1


def test_a_marks_description_is_joined_by_the_chart_not_carried_in_every_mark(run_page) -> None:
    """Each mark carried its name, kind, date and communities twice: once for the tooltip and
    once joined as its accessible description, half of the large workspace's chart data.
    The Chromium journey reads the joined label (tests/browser/test_map_journey.py)."""
    at = run_page("map", "facilitator")
    assert not at.exception, at.exception
    _outline, _lines, points = _spec(at)["layer"]
    marks = points["data"]["values"]
    assert marks and not [m for m in marks if "description" in m]
    assert points["transform"] == [{"calculate": chart.DESCRIPTION, "as": "description"}]
    assert points["encoding"]["description"] == {"field": "description", "type": "nominal"}
