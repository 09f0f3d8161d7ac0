"""The toolkit page: drawn per role, a section added, the chapter submitted and approved."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from cop.accounts.service import find_user, load_actor
from cop.core.db import read_session, write_session
from cop.toolkit import sections as toolkit_sections
from cop.toolkit import service as toolkit
from cop.toolkit.models import ChapterStatus, Section
from tests.page_fixtures import markdown_shown, texts, type_markdown
from tests.toolkit.chapter_helpers import (
    chapter_sections,
    editors,
    open_chapter_tab,
    welcoming_chapter,
)


def _labels(at) -> list[str]:  # noqa: ANN001
    return [b.label for b in at.button]


@pytest.mark.parametrize("username", ["admin", "facilitator", "member", "observer"])
def test_toolkit_page_renders_for_every_role(run_page, username: str) -> None:
    at = run_page("toolkit", username)
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Toolkit"]
    assert "Community building and welcoming culture" in texts(at)
    tabs = [t.label for t in at.tabs]
    if username == "observer":
        assert tabs[0] == "Approved text"
        assert "Submit for review" not in _labels(at) and "Save section" not in _labels(at)
        assert "Lessons learned" in texts(at)  # the approved revision is drawn
    else:
        assert tabs[0] == "Draft"
        assert "Submit for review" in _labels(at)
    creating = [e for e in at.expander if e.proto.label == "Create an edition"]
    assert bool(creating) == (username == "admin")


def test_member_adds_a_section_to_the_chapter(run_page) -> None:
    chapter = welcoming_chapter()
    at = run_page("toolkit", "member")
    at.selectbox(key=f"section-new-{chapter.id}-kind").set_value("free_text")
    at.text_input(key=f"section-new-{chapter.id}-0-title").input("Notes from Ghent")
    next(b for b in at.button if b.label == "Add section").click()
    at.run()
    assert not at.exception, at.exception
    with read_session() as session:
        titles = [
            s.title
            for s in session.exec(
                select(Section)
                .where(Section.chapter_id == chapter.id, Section.deleted_at.is_(None))  # type: ignore[union-attr]
                .order_by(Section.position)
            )
        ]
    assert titles[-1] == "Notes from Ghent"
    assert "Notes from Ghent" in texts(at)
    # The form is drawn afresh for the next section (its fields have new keys).
    assert at.text_input(key=f"section-new-{chapter.id}-1-title").value == ""


def test_member_submits_and_facilitator_approves_the_chapter(run_page) -> None:
    before = welcoming_chapter()
    at = run_page("toolkit", "member")
    next(b for b in at.button if b.label == "Submit for review").click()
    at.run()
    assert not at.exception, at.exception
    assert welcoming_chapter().status == ChapterStatus.IN_REVIEW
    assert "Approve this text" not in _labels(at)

    at = run_page("toolkit", "facilitator")
    next(b for b in at.button if b.label == "Approve this text").click()
    at.run()
    assert not at.exception, at.exception
    after = welcoming_chapter()
    assert after.status == ChapterStatus.APPROVED
    assert after.approved_number == before.approved_number + 1


def test_stale_section_save_shows_the_other_change_and_keeps_the_typed_text(run_page) -> None:
    chapter = welcoming_chapter()
    with read_session() as session:
        section = session.exec(
            select(Section).where(Section.chapter_id == chapter.id, Section.kind == "free_text")
        ).one()
    at = run_page("toolkit", "member")
    at.button(key=f"edit-section-{section.id}").click().run()  # the editor opened
    with write_session() as session:
        facilitator = load_actor(session, find_user(session, "facilitator").id)  # type: ignore[union-attr]
        toolkit_sections.update_section(
            session, facilitator, section.id, section.version, body="The facilitator's text."
        )
    type_markdown(at, f"body-{section.id}", "The member's text.")
    at.button(key=f"save-{section.id}").click()
    at.run()
    assert not at.exception, at.exception
    assert any("Someone else saved" in str(w.value) for w in at.warning)
    assert markdown_shown(at, f"body-{section.id}") == "The member's text."
    with read_session() as session:
        assert session.get(Section, section.id).body == "The facilitator's text."  # type: ignore[union-attr]
    at.button(key=f"save-{section.id}").click()
    at.run()
    with read_session() as session:
        assert session.get(Section, section.id).body == "The member's text."  # type: ignore[union-attr]


def test_text_typed_in_a_section_editor_survives_opening_another_section(run_page) -> None:
    """One section is open at a time; moving to another must not lose unsaved text."""
    chapter = welcoming_chapter()
    sections = chapter_sections(chapter)
    free = next(s for s in sections if s.kind == "free_text")
    other = next(s for s in sections if s.kind == "lessons_learned")
    at = run_page("toolkit", "member")
    assert not editors(at)  # reading: no editor is drawn
    at.button(key=f"edit-section-{free.id}").click().run()
    type_markdown(at, f"body-{free.id}", "Half a thought, not saved yet")
    at.button(key=f"edit-section-{other.id}").click().run()
    assert editors(at) == [f"body-{other.id}"]
    at.button(key=f"edit-section-{free.id}").click().run()
    assert not at.exception, at.exception
    assert markdown_shown(at, f"body-{free.id}") == "Half a thought, not saved yet"
    with read_session() as session:
        assert session.get(Section, free.id).body != "Half a thought, not saved yet"  # type: ignore[union-attr]


def test_cancel_returns_the_section_to_reading_and_forgets_the_typed_text(run_page) -> None:
    free = next(s for s in chapter_sections(welcoming_chapter()) if s.kind == "free_text")
    at = run_page("toolkit", "member")
    at.button(key=f"edit-section-{free.id}").click().run()
    type_markdown(at, f"body-{free.id}", "Second thoughts")
    at.button(key=f"cancel-{free.id}").click().run()
    assert not at.exception, at.exception
    assert not editors(at)
    assert "Second thoughts" not in texts(at)
    at.button(key=f"edit-section-{free.id}").click().run()
    assert markdown_shown(at, f"body-{free.id}") == free.body


def test_revisions_show_when_they_were_approved_in_the_readers_zone(run_page) -> None:
    """Issue 17, defect 8: the Revisions tab showed raw UTC timestamps."""
    at = open_chapter_tab(run_page("toolkit", "observer"), "Revisions")
    assert not at.exception, at.exception
    cells = "\n".join(frame.value.astype(str).to_csv() for frame in at.dataframe)
    assert "Approved at" in cells
    assert not re.search(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?(\.\d+)?\+00:00", cells), cells


def test_chapter_history_tells_what_happened_in_sentences(run_page) -> None:
    chapter = welcoming_chapter()
    at = run_page("toolkit", "member")
    assert "History" in [t.label for t in at.tabs]
    at = open_chapter_tab(at, "History")
    history = next(df.value for df in at.dataframe if "When" in df.value.columns)
    what = " ".join(history["What"])
    assert f"created the chapter “{chapter.title}”" in what, what
    assert f"of the chapter “{chapter.title}”" in what  # its sections, for those who see the draft
    assert "section.create" not in what and "chapter.create" not in what
    observer = open_chapter_tab(run_page("toolkit", "observer"), "History")
    seen = next(df.value for df in observer.dataframe if "When" in df.value.columns)
    assert "the section" not in " ".join(seen["What"])  # the draft's sections stay hidden


def test_a_stale_save_names_the_other_change_by_its_label_and_its_author(run_page) -> None:
    from tests.shell.test_german import choose_language

    chapter = welcoming_chapter("de")  # a German reader's page opens on the German edition
    with read_session() as session:
        section = session.exec(
            select(Section).where(Section.chapter_id == chapter.id, Section.kind == "free_text")
        ).one()
    choose_language("member", "de")
    at = run_page("toolkit", "member")
    at.button(key=f"edit-section-{section.id}").click().run()
    with write_session() as session:
        facilitator = load_actor(session, find_user(session, "facilitator").id)  # type: ignore[union-attr]
        toolkit_sections.update_section(
            session, facilitator, section.id, section.version, body="The facilitator's text."
        )
    type_markdown(at, f"body-{section.id}", "The member's text.")
    at.button(key=f"save-{section.id}").click()
    at.run()
    assert not at.exception, at.exception
    other = next(df.value for df in at.dataframe if "Feld" in df.value.columns)
    assert list(other["Feld"]) == ["Text"]
    assert list(other["Geändert von"]) == [facilitator.name]  # the person, not the username
    assert "body" not in other.to_string()


def test_a_chapter_downloads_as_markdown_on_one_click(run_page) -> None:
    """Issue 19, item 6: Markdown, HTML and Word are one link; a PDF is still prepared first."""
    from tests.download_client import links, page_download

    chapter = welcoming_chapter()
    at = open_chapter_tab(run_page("toolkit", "member"), "Export")
    assert not at.exception, at.exception
    assert "Prepare the file" not in _labels(at)
    (label,) = [name for name in links(at) if re.fullmatch(r"Download .+-draft\.md", name)]
    answer = page_download(at, label)
    assert answer.status == 200, answer.text
    assert answer.headers["content-type"] == "text/markdown; charset=utf-8"
    assert label.removeprefix("Download ") in answer.headers["content-disposition"]
    assert answer.text.startswith("# ") and chapter.title in answer.text
    at.selectbox(key=f"chapter-export-format-{chapter.id}").set_value("pdf").run()
    assert "Prepare the file" in _labels(at)
    # The chapter's only link is gone (the published website's zip is not the chapter's).
    assert not [n for n in links(at) if n.startswith("Download ") and "website" not in n]


def test_only_the_open_tab_of_a_chapter_is_drawn(run_page) -> None:
    """The draft's sections are drawn, not the comparison, the export or the history behind
    their tabs (a click on a tab draws it): the chapter page was the slowest click."""
    at = run_page("toolkit", "member")
    assert not at.exception, at.exception
    assert at.tabs[0].label == "Draft" and [t.label for t in at.tabs][1:] == [
        "Revisions",
        "Export",
        "History",
    ]
    frames = [df.value.columns for df in at.dataframe]
    assert not any("When" in columns or "Approved at" in columns for columns in frames)
    assert not [s for s in at.selectbox if s.key and s.key.startswith("toolkit-diff")]
    at = open_chapter_tab(at, "History")
    assert any("When" in df.value.columns for df in at.dataframe)
    assert not [b for b in at.button if b.key and b.key.endswith("-submit")]  # the draft's own


def test_whole_toolkit_export_names_the_chapters_it_leaves_out_and_offers_the_drafts(
    run_page,
) -> None:
    """Issue 17, defect 17: the whole-toolkit export left out chapters with no approved revision
    without a word. The page names them before the file is built and points to the drafts."""
    with write_session() as session:
        admin = load_actor(session, find_user(session, "admin").id)  # type: ignore[union-attr]
        edition = toolkit.create_toolkit(session, admin, title="Toolkit 2099", year=2099)
        toolkit.add_chapter(
            session, admin, edition.id, welcoming_chapter().community_id, title="Not yet approved"
        )
    at = run_page("toolkit", "facilitator")
    assert not at.exception, at.exception
    assert not [w for w in at.warning if "Left out" in w.value]  # drawn once the panel opens
    at.session_state["toolkit-whole-open"] = True  # "Export the whole toolkit", opened
    at.run()
    left_out = [w.value for w in at.warning if "Left out" in w.value]
    assert left_out == [
        "Left out, for want of an approved revision: Not yet approved."
        " Tick “Use the drafts …” to include yours."
    ]
    at.checkbox(key="toolkit-whole-drafts").check().run()
    assert not [w.value for w in at.warning if "Left out" in w.value]
