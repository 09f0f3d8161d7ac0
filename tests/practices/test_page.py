"""The practices page on the demo workspace: list, detail, review, standards and the heatmap."""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd
import pyarrow as pa
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from cop.communities.models import Community
from cop.core.db import read_session, write_session
from cop.practices.models import (
    Practice,
    PracticeWorkshop,
    ReviewStatus,
    SelfAssessment,
    Standard,
)
from tests.page_fixtures import as_shown, texts

PRACTICES, STANDARDS, SCORES = 0, 1, 2


def practice_id(title: str) -> str:
    with read_session() as session:
        return str(session.exec(select(Practice.id).where(Practice.title == title)).one())


def community_id(slug: str) -> int:
    with read_session() as session:
        return session.exec(select(Community.id).where(Community.slug == slug)).one()  # type: ignore[return-value]


def in_community(
    run_page: Callable[..., AppTest], username: str, slug: str, tab: str = "Practices"
) -> AppTest:
    """The page with ``slug`` chosen in the sidebar's community switcher and ``tab`` open."""
    at = run_page("practices", username)
    at.session_state["cop_community_id"] = community_id(slug)
    at.session_state["practices_view"] = tab
    return at.run()


def listed_titles(at: AppTest) -> set[str]:
    return set(at.tabs[PRACTICES].dataframe[0].value["Title"])


def heatmap(at: AppTest) -> pd.DataFrame:
    """The data behind the heatmap, as the browser receives it."""
    chart = at.tabs[SCORES].get("vega_lite_chart")[0].proto
    return pa.ipc.open_stream(chart.datasets[0].data.data).read_all().to_pandas()


def test_list_shows_what_each_role_may_read(run_page) -> None:
    facilitator = run_page("practices", "facilitator")
    assert not facilitator.exception
    assert "Sport for all – volunteer coaches for young newcomers" in listed_titles(facilitator)
    assert "Neighbourhood pacts between residents and the city" in listed_titles(facilitator)
    observer = run_page("practices", "observer")
    seen = listed_titles(observer)
    assert (
        "Migrant-led city tours" in seen and "Training for volunteers working with refugees" in seen
    )
    assert (
        "Sport for all – volunteer coaches for young newcomers" not in seen
    )  # a private community
    assert "Neighbourhood pacts between residents and the city" not in seen  # a draft elsewhere


MENTORING = {  # the demo's practices with the theme Mentoring
    "Buddy programme for newcomers",
    "Neighbourhood mentors trained by former newcomers",
    "Mentors for unaccompanied minors",
}


def test_theme_filter_narrows_the_list(run_page) -> None:
    at = run_page("practices", "facilitator")
    assert "practices_theme" not in [
        w.key for w in at.selectbox
    ]  # the panel is drawn only when opened
    at.session_state["practices_filters_open"] = True
    at.run()
    at.tabs[PRACTICES].selectbox(key="practices_theme").select("Mentoring").run()
    assert listed_titles(at) == MENTORING
    assert "3 practices" in texts(at)
    at.session_state["practices_filters_open"] = False  # closed, the theme still applies
    at.run()
    assert "practices_theme" not in [w.key for w in at.selectbox]
    assert listed_titles(at) == MENTORING


def test_practice_page_shows_everything_and_where_it_was_seen(run_page) -> None:
    at = run_page(
        "practices",
        "member",
        query={"id": practice_id("Neighbourhood welcome points with local contact persons")},
    )
    assert not at.exception
    body = texts(at)
    for words in (
        "Neighbourhood welcome points with local contact persons",
        "local contact person",
        "What another city would need",
        "Where it was seen",
        "Munich",
    ):
        assert words in body
    assert not at.tabs


def test_the_continuation_funding_has_its_own_label_apart_from_the_transferability(
    run_page,
) -> None:
    """Issue 17, defect 7 on the practice page: how it is funded from now on is its own field."""
    at = run_page(
        "practices",
        "member",
        query={"id": practice_id("Neighbourhood welcome points with local contact persons")},
    )
    shown = [m.value for m in at.markdown]
    need, funded = (
        shown.index("**What another city would need**"),
        shown.index("**How it is funded from now on**"),
    )
    assert "Part of the district budget since 2022." in shown[funded + 1]
    assert "district budget" not in shown[need + 1]


def test_private_practice_does_not_exist_for_outsiders(run_page) -> None:
    at = run_page(
        "practices",
        "observer",
        query={"id": practice_id("Sport for all – volunteer coaches for young newcomers")},
    )
    assert not at.exception
    assert "There is no practice" in texts(at)
    assert "Unaccompanied" not in texts(at)


def test_bad_id_in_the_address_is_a_calm_message(run_page) -> None:
    at = run_page("practices", "member", query={"id": "1 OR 1=1"})
    assert not at.exception
    assert "There is no practice" in texts(at)


def test_facilitator_approves_a_practice_in_review_and_member_cannot(run_page) -> None:
    pid = practice_id("Training for volunteers working with refugees")
    member = run_page("practices", "member", query={"id": pid})
    assert "Approve" not in [b.label for b in member.button]
    at = run_page("practices", "facilitator", query={"id": pid})
    next(b for b in at.button if b.label == "Approve").click().run()
    assert not at.exception
    with read_session() as session:
        assert session.get(Practice, int(pid)).status == ReviewStatus.APPROVED  # type: ignore[union-attr]


def test_new_practice_without_title_shows_the_message_under_the_field(run_page) -> None:
    at = in_community(run_page, "member", "welcoming-culture")
    assert "People reached" not in [
        t.label for t in at.text_input
    ]  # the form is drawn only when opened
    at.session_state["practices_new_open"] = True
    tab = at.run().tabs[PRACTICES]
    next(t for t in tab.text_input if t.label == "People reached").input("-3")
    next(b for b in tab.button if b.label == "Save").click().run()
    assert not at.exception
    errors = as_shown(" ".join(str(e.value) for e in at.error))
    assert "The title must not be empty." in errors
    assert "People reached must be between 0" in errors
    assert "Choose a city" in errors


def test_standards_are_listed_in_their_order(run_page) -> None:
    at = in_community(run_page, "observer", "welcoming-culture", "Standards")
    headings = [m.value for m in at.tabs[STANDARDS].markdown if m.value.startswith("<div><h4>")]
    assert headings[:2] == [
        "<div><h4>1. Newcomers are welcomed from their first week</h4></div>",
        "<div><h4>2. Residents meet newcomers as neighbours</h4></div>",
    ]
    assert not [b for b in at.tabs[STANDARDS].button if b.label in ("Move up", "Approve")]


def test_heatmap_hides_unshared_scores_from_other_cities(run_page) -> None:
    member = in_community(run_page, "member", "welcoming-culture", "Self-assessment")
    assert set(heatmap(member)["city"]) == {
        "Düsseldorf",
        "Ghent",
        "Lisbon",
    }  # Zagreb keeps its scores
    facilitator = in_community(run_page, "facilitator", "welcoming-culture", "Self-assessment")
    assert set(heatmap(facilitator)["city"]) == {"Düsseldorf", "Ghent", "Lisbon", "Zagreb"}


def test_member_records_a_score_and_the_heatmap_changes(run_page) -> None:
    at = in_community(run_page, "member", "welcoming-culture", "Self-assessment")
    assert "Record score" not in [b.label for b in at.button]  # the form is drawn only when opened
    at.session_state["score_new_open"] = True
    at.run()
    before = heatmap(at)
    cell = before[(before["city"] == "Düsseldorf") & (before["position"] == 1)]["score"].item()
    new_score = 4 if cell != 4 else 0
    form = at.tabs[SCORES]
    assert [s.options for s in form.selectbox if s.label == "City"][-1] == ["Düsseldorf"]
    form.select_slider[0].set_value(new_score)
    next(t for t in form.text_area if t.label == "Evidence").input("Agreed in the city council")
    next(b for b in form.button if b.label == "Record score").click().run()
    assert not at.exception
    after = heatmap(at)
    assert (
        after[(after["city"] == "Düsseldorf") & (after["position"] == 1)]["score"].item()
        == new_score
    )
    with read_session() as session:
        assert session.exec(
            select(SelfAssessment).where(SelfAssessment.evidence == "Agreed in the city council")
        ).one()
    # Issue 17: the saved evidence stayed in the form, ready to be recorded twice.
    assert [t.value for t in at.tabs[SCORES].text_area if t.label == "Evidence"] == [""]
    assert "Nothing was saved" not in texts(at)


RAW_TIMESTAMP = r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?(\.\d+)?\+00:00"


def _cells(at: AppTest) -> str:
    return "\n".join(frame.value.astype(str).to_csv() for frame in at.dataframe)


def test_where_a_practice_was_seen_shows_times_in_the_readers_zone(run_page) -> None:
    """Issue 17, defect 8: raw UTC timestamps ("2025-11-21 08:30:00+00:00") in the table."""
    with read_session() as session:
        linked = session.exec(select(PracticeWorkshop.practice_id)).first()
    assert linked is not None, "the demo links practices to workshops"
    at = run_page("practices", "facilitator", query={"id": str(linked)})
    assert not at.exception, at.exception
    assert "Where it was seen" in texts(at)
    cells = _cells(at)
    assert cells.strip()
    assert not re.search(RAW_TIMESTAMP, cells), cells


def test_a_search_that_matches_nothing_says_so_instead_of_an_empty_grid(run_page) -> None:
    at = run_page("practices", "facilitator")
    at.session_state["practices_text"] = "no practice is called this"
    at = at.run()
    assert not at.exception, at.exception
    assert "No practice matches these filters: change the search or clear the filters." in texts(at)
    assert not [d for d in at.dataframe if "Practice" in d.value.columns]


def test_practice_history_tells_what_happened_in_sentences(run_page) -> None:
    title = "Neighbourhood welcome points with local contact persons"
    at = run_page("practices", "member", query={"id": practice_id(title)})
    assert "History" in [e.label for e in at.expander]
    at.session_state["practice_history_open"] = True
    at.run()
    assert not at.exception, at.exception
    history = next(df.value for df in at.dataframe if "When" in df.value.columns)
    what = " ".join(history["What"])
    assert f"created the practice “{title}”" in what, what
    assert "practice.create" not in what + " ".join(history["Changes"])


def test_success_factors_typed_one_per_line_are_shown_as_a_list(run_page) -> None:
    """Issue 17, defect 6: lines typed one per line ran together into one line on the standards tab."""
    title = "Newcomers are welcomed from their first week"
    with write_session() as session:
        standard = session.exec(select(Standard).where(Standard.title == title)).one()
        standard.success_factors = "One contact point\nVolunteers trained\nA named coordinator"
        session.add(standard)
    at = in_community(run_page, "observer", "welcoming-culture", "Standards")
    assert not at.exception, at.exception
    shown = "\n".join(m.value for m in at.tabs[STANDARDS].markdown)
    for factor in ("One contact point", "Volunteers trained", "A named coordinator"):
        assert f"<li>{factor}</li>" in shown, shown
    assert "One contact point\nVolunteers trained" not in shown  # not one run-on paragraph
