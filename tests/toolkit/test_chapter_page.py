"""Issue 20.1: the chapter draft reads as one page, each section edits in place, comments sit
beside their section, and two versions are compared as rendered text with changes marked."""

from __future__ import annotations

import pytest
from sqlmodel import select

from cop.accounts import notifications
from cop.accounts.service import find_user, load_actor
from cop.core.audit import AuditEvent
from cop.core.db import read_session, write_session
from cop.toolkit import sections as toolkit_sections
from cop.toolkit.models import Comment, Section
from tests.page_fixtures import markdown_editors, texts, type_markdown
from tests.toolkit.chapter_helpers import (
    chapter_sections,
    editors,
    open_chapter_tab,
    welcoming_chapter,
)


def _markdown(at) -> list[str]:  # noqa: ANN001
    return [m.value for m in at.markdown]


def test_every_section_of_the_draft_is_drawn_in_one_run_without_a_click(run_page) -> None:
    sections = chapter_sections(welcoming_chapter())
    assert len(sections) >= 5, "the demo chapter has its usual sections"
    at = run_page("toolkit", "member")
    assert not at.exception, at.exception
    shown = _markdown(at)
    headings = [
        next(i for i, m in enumerate(shown) if f"<h4>{n}. {s.title}</h4>" in m)
        for n, s in enumerate(sections, start=1)
    ]
    assert headings == sorted(headings)  # in the chapter's order
    free = next(s for s in sections if s.body.strip())
    first_words = free.body.split("\n")[0].split(".")[0]
    assert first_words in texts(at)  # the author's text, rendered
    assert not editors(at)  # reading: no editor, no preview to open
    assert not [e for e in at.get("expander") if "Preview" in e.proto.label]
    # The key results infographic, without a click: the same SVG as the files, and its text.
    assert len([m for m in shown if '<img class="cop-infographic"' in m]) == 1, "the infographic"
    assert [e for e in at.get("expander") if e.proto.label == "The infographic as text"]
    labels = [b.label for b in at.button if b.key and b.key.startswith("edit-section-")]
    assert labels == ["Edit"] * len(sections)


def _popovers(at) -> list[str]:  # noqa: ANN001
    return [p.proto.popover.label for p in at.get("popover")]


def test_buttons_of_a_section_say_what_they_do_in_words_not_only_an_icon(run_page) -> None:
    target = chapter_sections(welcoming_chapter())[1]
    at = run_page("toolkit", "member")
    unnamed = [b.key for b in at.button if not b.label]  # a phone shows no tooltip
    assert unnamed == [], unnamed
    assert "Move or remove" in _popovers(at)
    at.session_state[f"section-{target.id}-tools"] = True  # its "Move or remove", opened
    at.run()
    assert not [b.key for b in at.button if not b.label]
    moves = [b for b in at.button if b.key and b.key.endswith(("-up", "-down"))]
    assert moves and {b.label for b in moves} == {"Move up", "Move down"}
    assert all(b.help for b in moves)


def test_a_sections_moves_and_removal_are_drawn_only_once_their_popover_is_opened(
    run_page,
) -> None:
    """Issue 24: three buttons per section on every run of the draft; now one popover each."""
    sections = chapter_sections(welcoming_chapter())
    at = run_page("toolkit", "member")
    assert not at.exception, at.exception
    assert _popovers(at).count("Move or remove") == len(sections)
    tools = [b.key for b in at.button if b.key and b.key.endswith(("-up", "-down", "-remove"))]
    assert tools == []
    at.session_state[f"section-{sections[0].id}-tools"] = True
    at.run()
    tools = [b.key for b in at.button if b.key and b.key.endswith(("-up", "-down", "-remove"))]
    assert sorted(tools) == sorted(
        f"section-{sections[0].id}-{end}" for end in ("up", "down", "remove")
    )
    assert at.button(key=f"section-{sections[0].id}-up").disabled  # the first one


def test_edit_opens_only_that_sections_form_and_save_stores_it(run_page) -> None:
    sections = chapter_sections(welcoming_chapter())
    target = next(s for s in sections if s.kind == "free_text")
    at = run_page("toolkit", "member")
    at.button(key=f"edit-section-{target.id}").click().run()
    assert not at.exception, at.exception
    assert editors(at) == [f"body-{target.id}"]
    assert f"edit-section-{target.id}" not in [b.key for b in at.button]
    others = [s for s in sections if s.id != target.id]
    shown = "\n".join(_markdown(at))
    assert all(f"{n}. {s.title}</h4>" in shown for n, s in enumerate(sections, 1) if s in others)

    type_markdown(at, f"body-{target.id}", "Newcomers meet **their neighbours** first.")
    at.button(key=f"save-{target.id}").click().run()
    assert not at.exception, at.exception
    with read_session() as session:
        stored = session.get(Section, target.id)
        assert stored is not None and stored.body == "Newcomers meet **their neighbours** first."
        assert stored.version == target.version + 1
        events = session.exec(
            select(AuditEvent).where(
                AuditEvent.action == "section.update", AuditEvent.record_id == str(target.id)
            )
        ).all()
        assert events  # through the service, which records what changed
    assert not editors(at)  # back to reading
    assert "Newcomers meet <strong>their neighbours</strong> first." in "\n".join(_markdown(at))


def test_a_refused_save_keeps_the_section_open_with_the_message_under_the_field(
    run_page,
) -> None:
    target = next(s for s in chapter_sections(welcoming_chapter()) if s.kind == "free_text")
    at = run_page("toolkit", "member")
    at.button(key=f"edit-section-{target.id}").click().run()
    at.text_input(key=f"title-{target.id}").input("   ")
    at.button(key=f"save-{target.id}").click().run()
    assert not at.exception, at.exception
    assert at.text_input(key=f"title-{target.id}").value == "   "
    assert at.error, "a message says what to correct"
    with read_session() as session:
        assert session.get(Section, target.id).title == target.title  # type: ignore[union-attr]


def test_comments_are_drawn_beside_the_section_they_concern(run_page) -> None:
    sections = chapter_sections(welcoming_chapter())
    target = sections[2]
    with write_session() as session:
        facilitator = load_actor(session, find_user(session, "facilitator").id)  # type: ignore[union-attr]
        toolkit_sections.add_comment(session, facilitator, target.id, "Add the Ghent example here.")
    at = run_page("toolkit", "member")
    assert not at.exception, at.exception
    pairs = [
        (left, right)
        for left, right in zip(at.columns, list(at.columns)[1:], strict=False)
        if any(f"<h4>3. {target.title}</h4>" in m.value for m in left.markdown)
    ]
    assert len(pairs) == 1
    left, right = pairs[0]
    beside = "\n".join(m.value for m in right.markdown)
    assert "Add the Ghent example here." in beside
    assert "Comments (1 open)" in beside
    assert f"{facilitator.name} · " in beside  # who wrote it, and when
    assert "Add the Ghent example here." not in "\n".join(m.value for m in left.markdown)
    assert "Reply or resolve" in _popovers(at)  # for the open comment


def test_a_reply_is_drawn_under_its_comment_and_its_writer_gets_a_notification(
    run_page,
) -> None:
    target = chapter_sections(welcoming_chapter())[1]
    with write_session() as session:
        facilitator = load_actor(session, find_user(session, "facilitator").id)  # type: ignore[union-attr]
        asked = toolkit_sections.add_comment(session, facilitator, target.id, "Which districts?")
    at = run_page("toolkit", "member")
    assert not at.exception, at.exception
    key = f"comment-reply-{asked.id}"
    at.session_state[f"comments-{target.id}-open"] = True  # "Reply or resolve", drawn once opened
    at.run()
    type_markdown(at, f"{key}-0-text", "The two northern ones.")
    send = next(b for b in at.button if b.label == "Send reply" and b.proto.form_id == key)
    send.click().run()
    assert not at.exception, at.exception
    with read_session() as session:
        (reply,) = session.exec(select(Comment).where(Comment.parent_id == asked.id)).all()
        notes, _total = notifications.inbox(session, facilitator)
    assert reply.text == "The two northern ones."
    assert notes[0].kind == "comment.reply"
    # One block holds the section's comments: the reply right under the comment it answers.
    (thread,) = [m for m in _markdown(at) if "Which districts?" in m and "Comments (" in m]
    asked_at = thread.index("Which districts?")
    assert thread.index("↳ Reply · ") > asked_at
    assert thread.index("The two northern ones.") > thread.index("↳ Reply · ")


def test_comparing_the_latest_revision_with_the_draft_marks_what_was_added(run_page) -> None:
    target = next(s for s in chapter_sections(welcoming_chapter()) if s.kind == "free_text")
    with write_session() as session:
        member = load_actor(session, find_user(session, "member").id)  # type: ignore[union-attr]
        toolkit_sections.update_section(
            session,
            member,
            target.id,
            target.version,
            body=target.body + "\n\nBrand new words <script>alert(1)</script>",
        )
    at = open_chapter_tab(run_page("toolkit", "member"), "Revisions")
    assert not at.exception, at.exception
    shown = "\n".join(_markdown(at))
    assert "<ins>Brand new words &lt;script&gt;alert(1)&lt;/script&gt;</ins>" in shown
    assert "<script>" not in shown
    assert "is underlined" in shown and "is struck through" in shown  # the legend
    assert any(c.value.endswith(" · unchanged") for c in at.caption)  # the others say so


def test_comparing_two_revisions_marks_what_was_removed(run_page) -> None:
    target = next(s for s in chapter_sections(welcoming_chapter()) if s.kind == "free_text")
    with write_session() as session:
        member = load_actor(session, find_user(session, "member").id)  # type: ignore[union-attr]
        toolkit_sections.update_section(session, member, target.id, target.version, body="Short.")
    at = run_page("toolkit", "facilitator")
    at.button(key=f"chapter-workflow-{welcoming_chapter().id}-submit").click().run()
    at.button(key=f"chapter-workflow-{welcoming_chapter().id}-approve").click().run()
    assert not at.exception, at.exception
    latest = welcoming_chapter().approved_number
    at = open_chapter_tab(at, "Revisions")
    at.selectbox(key="toolkit-diff-old").set_value(latest - 1)
    at.selectbox(key="toolkit-diff-new").set_value(latest)
    at.run()
    shown = "\n".join(_markdown(at))
    assert "<del>" in shown and "<ins>Short</ins>" in shown


def test_removing_a_section_asks_first_and_then_takes_it_out_of_the_page(run_page) -> None:
    sections = chapter_sections(welcoming_chapter())
    target = sections[-1]
    at = run_page("toolkit", "member")
    at.session_state[f"section-{target.id}-tools"] = True  # its "Move or remove", opened
    at.run()
    at.button(key=f"section-{target.id}-remove").click().run()
    assert not at.exception, at.exception
    assert any(target.title in str(w.value) for w in at.warning)  # the question names it
    assert len(chapter_sections(welcoming_chapter())) == len(sections)  # nothing gone yet
    at.button(key=f"section-{target.id}-remove-yes").click().run()
    assert not at.exception, at.exception
    assert [s.id for s in chapter_sections(welcoming_chapter())] == [s.id for s in sections[:-1]]
    assert f"{len(sections)}. {target.title}</h4>" not in "\n".join(_markdown(at))


def test_a_sections_comment_form_is_drawn_once_its_popover_is_opened(run_page) -> None:
    """Issue 24: closed comment forms (an editor each, per section and per open comment) cost
    every run of the draft; they are drawn from their first opening on."""
    target = chapter_sections(welcoming_chapter())[0]
    at = run_page("toolkit", "member")
    assert not at.exception, at.exception
    assert not [k for k in markdown_editors(at) if k.startswith("comment-")]
    at.session_state[f"comment-new-{target.id}-open"] = True
    at.run()
    assert f"comment-new-{target.id}-0-text" in markdown_editors(at)
    at.session_state[f"comment-new-{target.id}-open"] = False
    at.run()  # closed again: still drawn, so what was typed and not sent stays in the browser
    assert f"comment-new-{target.id}-0-text" in markdown_editors(at)


def _elements(node) -> int:  # noqa: ANN001
    """Every element and container drawn in the run (each one a message to the browser)."""
    return 1 + sum(_elements(c) for c in (getattr(node, "children", None) or {}).values())


def test_each_section_of_the_draft_is_one_block_of_text(run_page) -> None:
    """Issue 24: a section was an element per paragraph, practice field and table (the draft
    page was the slowest click); its heading, text, boxes and tables are now one block."""
    sections = chapter_sections(welcoming_chapter())
    at = run_page("toolkit", "member")
    assert not at.exception, at.exception
    shown = _markdown(at)
    for n, section in enumerate(sections, start=1):
        (block,) = [m for m in shown if f"<h4>{n}. {section.title}</h4>" in m]
        if section.body.strip():
            assert section.body.split("\n")[0].split(".")[0] in block
        if section.kind == "practices":
            assert block.count("<h5>") >= 2  # every practice's box, in the same block
        if section.kind in ("key_results", "workshop_timeline", "actions_summary"):
            assert "<table>" in block  # tables too: no dataframe per table
    assert not at.dataframe


def test_the_toolkit_page_with_a_draft_of_seven_sections_is_about_a_hundred_elements(
    run_page,
) -> None:
    """Issue 24: the page drew 227 elements for a member and 258 for an admin (each one a
    message the server hands to the browser on its own); an observer's 129. A divider per
    section went too (98, 101 and 36 now)."""
    assert len(chapter_sections(welcoming_chapter())) == 7
    for username, most in (("member", 100), ("admin", 102), ("observer", 38)):
        at = run_page("toolkit", username)
        assert not at.exception, at.exception
        assert _elements(at._tree) <= most, username


def test_the_sections_are_set_apart_by_the_pages_style_not_a_divider_each(run_page) -> None:
    """Issue 24: a divider element above every section was a message of its own on every run;
    the line is now the section row's top border, drawn by one style sheet for the page."""
    sections = chapter_sections(welcoming_chapter())
    at = run_page("toolkit", "admin")
    assert not at.exception, at.exception
    # Left: the one under the Published website panel and the one above "Add a section".
    assert len(at.divider) == 2, [d.proto for d in at.divider]
    blocks = [m for m in _markdown(at) if 'class="cop-section"' in m]
    assert len(blocks) == len(sections), "each section's text carries the row's mark"
    (sheet,) = [h.proto.body for h in at.get("html") if "cop-section" in h.proto.body]
    assert ":has(" in sheet and "border-top" in sheet


def test_the_draft_page_does_not_read_the_frozen_revision(
    run_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A frozen revision holds its pictures (the best part of a megabyte); the chapter page
    read it on every run, for the draft's readers too, who never draw it."""
    from cop.toolkit import service as toolkit

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("the draft's reader's page read the frozen revision")

    monkeypatch.setattr(toolkit, "latest_revision", refused)
    at = run_page("toolkit", "member")
    assert not at.exception, at.exception
    assert at.tabs[0].label == "Draft"
