"""Comparing two versions of a chapter as rendered text with the changed words marked."""

from __future__ import annotations

from cop.toolkit.diff import (
    ADDED,
    CHANGED,
    REMOVED,
    UNCHANGED,
    SectionText,
    compare_sections,
    marked_html,
)


def test_an_insertion_is_marked_inside_the_rendered_text() -> None:
    marked = marked_html("Hello **world**.", "Hello **big world**.")
    assert marked == "<p>Hello <strong><ins>big</ins> world</strong>.</p>\n"


def test_a_deletion_is_marked_and_the_newer_structure_kept() -> None:
    marked = marked_html("- tea\n- coffee\n\nDone.", "- tea\n\nDone.")
    assert "<del>coffee</del>" in marked
    assert "<li>tea\n<del>coffee</del></li>" in marked and "<p>Done.</p>" in marked
    assert "<ins>" not in marked


def test_a_replaced_word_shows_both_the_old_and_the_new() -> None:
    assert marked_html("Old line.", "New line.") == "<p><del>Old</del><ins>New</ins> line.</p>\n"


def test_a_script_typed_in_a_section_stays_text_on_both_sides() -> None:
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    for old, new in ((payload, "Clean."), ("Clean.", payload), (payload, payload + " more")):
        marked = marked_html(old, new)
        assert "<script" not in marked and "<img" not in marked, marked
        assert "&lt;script&gt;" in marked
        stripped = marked
        for tag in ("<p>", "</p>", "<ins>", "</ins>", "<del>", "</del>"):
            stripped = stripped.replace(tag, "")
        assert "<" not in stripped, marked  # only the renderer's and the comparison's tags


def test_a_link_with_a_script_address_loses_it() -> None:
    marked = marked_html("See.", "See [this](javascript:alert(1)).")
    assert "javascript" not in marked.split("<ins>")[0] and "href" not in marked


def test_unicode_is_kept_verbatim() -> None:
    marked = marked_html("Straße in Düsseldorf", "Straße in Düsseldorf, Ünïcödé 🙂 日本")
    assert "Straße in Düsseldorf" in marked
    assert "<ins>, Ünïcödé 🙂 日本</ins>" in marked


def test_an_unchanged_section_says_so_and_carries_no_marks() -> None:
    same = [SectionText("id-1", "Intro", "Same words.")]
    changes = compare_sections(same, same)
    assert [(c.title, c.status, c.html) for c in changes] == [("Intro", UNCHANGED, "")]


def test_sections_added_removed_and_renamed_are_told_apart_in_the_newer_order() -> None:
    old = [
        SectionText("id-1", "Intro", "Welcome."),
        SectionText("id-2", "Gone", "Old words."),
        SectionText("id-3", "Lessons", "One lesson."),
    ]
    new = [
        SectionText("id-1", "Introduction", "Welcome."),
        SectionText("id-3", "Lessons", "One lesson."),
        SectionText("id-4", "New", "Fresh words."),
    ]
    changes = compare_sections(old, new)
    assert [(c.title, c.status) for c in changes] == [
        ("Introduction", CHANGED),
        ("Gone", REMOVED),
        ("Lessons", UNCHANGED),
        ("New", ADDED),
    ]
    assert "<del>Intro</del><ins>Introduction</ins>" in changes[0].html
    assert changes[1].html == "<p><del>Old words.</del></p>"
    assert changes[3].html == "<p><ins>Fresh words.</ins></p>\n"
