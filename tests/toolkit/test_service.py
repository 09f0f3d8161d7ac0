"""Toolkit chapters: editions, sections, review and approval, revisions, diff, restore, who may do what."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine

from cop.actions import service as actions
from cop.core.db import read_session, write_session
from cop.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from cop.core.permissions import Actor, Role
from cop.practices import self_assessment as scores
from cop.practices import service as practices
from cop.practices import standards
from cop.toolkit import export as toolkit_export
from cop.toolkit import key_results
from cop.toolkit import revisions as toolkit_revisions
from cop.toolkit import sections as toolkit_sections
from cop.toolkit import service as toolkit
from cop.toolkit.models import Chapter, ChapterStatus, Section
from cop.workshops import attendance
from cop.workshops import service as workshops
from tests import factories
from tests.factories import World


def _edition(engine: Engine, admin: Actor, community_id: int) -> tuple[int, int]:
    with write_session(engine) as s:
        edition = toolkit.create_toolkit(s, admin, title="Toolkit", year=2021, licence="CC BY 4.0")
        chapter = toolkit.add_chapter(s, admin, edition.id, community_id)
        return edition.id, chapter.id  # type: ignore[return-value]


def _section(
    engine: Engine, actor: Actor, chapter_id: int, kind: str = "free_text", **fields
) -> int:
    with write_session(engine) as s:
        return toolkit_sections.add_section(s, actor, chapter_id, kind, **fields).id  # type: ignore[return-value]


def _chapter(engine: Engine, chapter_id: int):
    with read_session(engine) as s:
        return s.get(Chapter, chapter_id)


def _approve(engine: Engine, w: World, chapter_id: int) -> int:
    """Submit as the member, approve as the facilitator; returns the revision number."""
    with write_session(engine) as s:
        chapter = toolkit.submit_chapter(
            s, w.member, chapter_id, _chapter(engine, chapter_id).version
        )
        version = chapter.version
    with write_session(engine) as s:
        return toolkit.approve_chapter(s, w.facilitator, chapter_id, version).number


def _markdown(engine: Engine, actor: Actor, chapter_id: int, **kwargs) -> str:
    return toolkit_export.export_chapter(
        actor, chapter_id, "md", engine=engine, **kwargs
    ).data.decode()


@pytest.fixture
def w(engine: Engine) -> World:
    return factories.world(engine)


# --- editions and chapters -----------------------------------------------------------------


def test_only_admins_create_editions_and_place_chapters(engine: Engine, w: World) -> None:
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        toolkit.create_toolkit(s, w.facilitator, title="Mine", year=2021)
    edition_id, _ = _edition(engine, w.admin, w.community.id)
    other = factories.community(engine)
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        toolkit.add_chapter(s, w.facilitator, edition_id, other.id)


def test_edition_fields_are_checked_per_field(engine: Engine, w: World) -> None:
    with write_session(engine) as s, pytest.raises(ValidationError) as refused:
        toolkit.create_toolkit(s, w.admin, title="  ", year=1800, language="xx")
    assert set(refused.value.fields) == {"title", "year", "language"}


def test_a_community_has_one_chapter_per_edition(engine: Engine, w: World) -> None:
    edition_id, _ = _edition(engine, w.admin, w.community.id)
    with write_session(engine) as s, pytest.raises(ValidationError) as refused:
        toolkit.add_chapter(s, w.admin, edition_id, w.community.id)
    assert "community_id" in refused.value.fields


def test_admin_sets_the_order_of_chapters(engine: Engine, w: World) -> None:
    edition_id, first = _edition(engine, w.admin, w.community.id)
    other = factories.community(engine, name="Second community")
    with write_session(engine) as s:
        second = toolkit.add_chapter(s, w.admin, edition_id, other.id).id
    with write_session(engine) as s:
        toolkit.move_chapter(s, w.admin, second, _chapter(engine, second).version, "up")
    with read_session(engine) as s:
        assert [c.id for c in toolkit.list_chapters(s, w.admin, edition_id)] == [second, first]
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        toolkit.move_chapter(s, w.facilitator, first, _chapter(engine, first).version, "up")


def test_private_community_chapter_does_not_exist_for_outsiders(engine: Engine) -> None:
    w = factories.world(engine, visibility="private")
    edition_id, chapter_id = _edition(engine, w.admin, w.community.id)
    with read_session(engine) as s:
        assert toolkit.list_chapters(s, w.outsider, edition_id) == []
        with pytest.raises(NotFound):
            toolkit.chapter_in_scope(s, w.outsider, chapter_id)


# --- sections ------------------------------------------------------------------------------


def test_members_add_reorder_and_remove_sections_version_checked(engine: Engine, w: World) -> None:
    _, chapter_id = _edition(engine, w.admin, w.community.id)
    a = _section(engine, w.member, chapter_id, title="First", body="one")
    b = _section(engine, w.member, chapter_id, "lessons_learned")
    with read_session(engine) as s:
        stale = s.get(Section, b).version
    with write_session(engine) as s:
        toolkit_sections.move_section(s, w.member, b, stale, "up")
    with read_session(engine) as s:
        assert [x.id for x in toolkit.live_sections(s, chapter_id)] == [b, a]
    with write_session(engine) as s, pytest.raises(ConflictError):
        toolkit_sections.remove_section(s, w.member, b, stale)
    with read_session(engine) as s:
        current = s.get(Section, b).version
    with write_session(engine) as s:
        toolkit_sections.remove_section(s, w.member, b, current)
    with read_session(engine) as s:
        assert [x.title for x in toolkit.live_sections(s, chapter_id)] == ["First"]


def test_section_input_is_checked_per_field(engine: Engine, w: World) -> None:
    _, chapter_id = _edition(engine, w.admin, w.community.id)
    with write_session(engine) as s, pytest.raises(ValidationError) as refused:
        toolkit_sections.add_section(s, w.member, chapter_id, "poem")
    assert "kind" in refused.value.fields
    with write_session(engine) as s, pytest.raises(ValidationError) as refused:
        toolkit_sections.add_section(
            s, w.member, chapter_id, "free_text", title="x" * 201, body="y" * 100_001
        )
    assert set(refused.value.fields) == {"title", "body"}
    with write_session(engine) as s, pytest.raises(ValidationError) as refused:
        toolkit_sections.add_section(
            s, w.member, chapter_id, "key_results", settings={"colour": "red"}
        )
    assert "settings" in refused.value.fields


def test_practices_section_refuses_practices_of_another_community(engine: Engine, w: World) -> None:
    _, chapter_id = _edition(engine, w.admin, w.community.id)
    other = factories.world(engine)
    city = factories.organisation(engine)
    with write_session(engine) as s:
        foreign = practices.create_practice(
            s, other.facilitator, other.community.id, title="Elsewhere", organisation_id=city
        ).id
    with write_session(engine) as s, pytest.raises(ValidationError) as refused:
        toolkit_sections.add_section(
            s, w.member, chapter_id, "practices", settings={"practice_ids": [foreign]}
        )
    assert "practice_ids" in refused.value.fields


def _approved(session, actor: Actor, record, submit, approve):  # noqa: ANN001
    if record.status != "approved":
        record = submit(session, actor, record.id, record.version)
        record = approve(session, actor, record.id, record.version)
    return record


def test_chapter_lists_success_factors_one_per_line_and_labels_both_parts_of_transferability(
    engine: Engine, w: World
) -> None:
    """Issue 17, defects 6 and 7: factors typed one per line came out as one run-on line, and the
    continuation funding was glued to the transferability with no label."""
    _, chapter_id = _edition(engine, w.admin, w.community.id)
    city = factories.organisation(engine)
    with write_session(engine) as s:
        standard = standards.create_standard(
            s,
            w.facilitator,
            w.community.id,
            title="Volunteers are welcomed",
            statement="Every volunteer is welcomed.",
            success_factors="A named coordinator\nA welcome pack\nA buddy for the first month",
        )
        standard = _approved(
            s, w.facilitator, standard, standards.submit_standard, standards.approve_standard
        )
        practice = practices.create_practice(
            s,
            w.facilitator,
            w.community.id,
            title="Library desks",
            organisation_id=city,
            continuation_funding="The city budget from 2027.",
            transfer_needs="A room and two staff.",
        )
        practice = _approved(
            s, w.facilitator, practice, practices.submit_practice, practices.approve_practice
        )
        standard_id, practice_id = standard.id, practice.id
    _section(engine, w.member, chapter_id, "standards", settings={"standard_ids": [standard_id]})
    _section(engine, w.member, chapter_id, "practices", settings={"practice_ids": [practice_id]})
    text = _markdown(engine, w.member, chapter_id, draft=True)
    assert "- A named coordinator\n- A welcome pack\n- A buddy for the first month" in text
    assert "How it is funded from now on" in text and "The city budget from 2027." in text
    assert "Transferability: what another city would need" in text
    assert "The city budget from 2027.\n\nA room and two staff." not in text


@pytest.mark.parametrize("role", ["observer", "outsider"])
def test_observers_and_outsiders_cannot_edit_submit_or_comment(
    engine: Engine, w: World, role: str
) -> None:
    _, chapter_id = _edition(engine, w.admin, w.community.id)
    section_id = _section(engine, w.member, chapter_id)
    actor = w.by_role(role)
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        toolkit_sections.add_section(s, actor, chapter_id, "free_text", title="Mine")
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        toolkit.submit_chapter(s, actor, chapter_id, _chapter(engine, chapter_id).version)
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        toolkit_sections.add_comment(s, actor, section_id, "Looks good")


def test_comments_are_added_listed_and_resolved_once(engine: Engine, w: World) -> None:
    _, chapter_id = _edition(engine, w.admin, w.community.id)
    section_id = _section(engine, w.member, chapter_id)
    with write_session(engine) as s, pytest.raises(ValidationError):
        toolkit_sections.add_comment(s, w.facilitator, section_id, "   ")
    with write_session(engine) as s:
        comment = toolkit_sections.add_comment(
            s, w.facilitator, section_id, "Add a figure ✨ مرحبا"
        )
        comment_id, version = comment.id, comment.version
    with write_session(engine) as s:
        toolkit_sections.resolve_comment(s, w.member, comment_id, version)
    with read_session(engine) as s:
        listed = toolkit_sections.chapter_comments(s, w.member, chapter_id)[section_id]
    assert listed[0].text == "Add a figure ✨ مرحبا" and listed[0].resolved
    with write_session(engine) as s, pytest.raises(ValidationError):
        toolkit_sections.resolve_comment(s, w.member, comment_id, version + 1)


# --- workflow ------------------------------------------------------------------------------


def test_member_submits_facilitator_approves_and_a_revision_is_frozen(
    engine: Engine, w: World
) -> None:
    _, chapter_id = _edition(engine, w.admin, w.community.id)
    _section(
        engine, w.member, chapter_id, title="Why it matters", body="Volunteers *welcome* newcomers."
    )
    with write_session(engine) as s, pytest.raises(ValidationError):
        toolkit.approve_chapter(s, w.facilitator, chapter_id, _chapter(engine, chapter_id).version)
    with write_session(engine) as s:
        toolkit.submit_chapter(s, w.member, chapter_id, _chapter(engine, chapter_id).version)
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        toolkit.approve_chapter(s, w.member, chapter_id, _chapter(engine, chapter_id).version)
    with write_session(engine) as s:
        revision = toolkit.approve_chapter(
            s, w.facilitator, chapter_id, _chapter(engine, chapter_id).version
        )
        assert revision.number == 1
        assert "## Why it matters" in revision.markdown
        assert revision.sections[0]["body"] == "Volunteers *welcome* newcomers."
    chapter = _chapter(engine, chapter_id)
    assert chapter.status == ChapterStatus.APPROVED and chapter.approved_number == 1


def test_an_empty_chapter_cannot_be_submitted(engine: Engine, w: World) -> None:
    _, chapter_id = _edition(engine, w.admin, w.community.id)
    with write_session(engine) as s, pytest.raises(ValidationError) as refused:
        toolkit.submit_chapter(s, w.member, chapter_id, _chapter(engine, chapter_id).version)
    assert "sections" in refused.value.fields


def test_approving_text_that_changed_since_it_was_read_is_refused(engine: Engine, w: World) -> None:
    _, chapter_id = _edition(engine, w.admin, w.community.id)
    section_id = _section(engine, w.member, chapter_id, title="Text", body="first")
    with write_session(engine) as s:
        toolkit.submit_chapter(s, w.member, chapter_id, _chapter(engine, chapter_id).version)
    seen = _chapter(engine, chapter_id).version
    with read_session(engine) as s:
        section_version = s.get(Section, section_id).version
    with write_session(engine) as s:
        toolkit_sections.update_section(s, w.member, section_id, section_version, body="changed")
    with write_session(engine) as s, pytest.raises(ConflictError):
        toolkit.approve_chapter(s, w.facilitator, chapter_id, seen)
    assert _chapter(engine, chapter_id).status == ChapterStatus.DRAFT  # the edit reopened the draft


def test_edit_after_approval_opens_a_draft_while_observers_keep_the_approved_revision(
    engine: Engine, w: World
) -> None:
    _, chapter_id = _edition(engine, w.admin, w.community.id)
    section_id = _section(engine, w.member, chapter_id, title="Text", body="Approved wording.")
    _approve(engine, w, chapter_id)
    with read_session(engine) as s:
        version = s.get(Section, section_id).version
    with write_session(engine) as s:
        toolkit_sections.update_section(
            s, w.member, section_id, version, body="Next draft wording."
        )
    assert _chapter(engine, chapter_id).status == ChapterStatus.DRAFT
    assert "Approved wording." in _markdown(engine, w.observer, chapter_id)
    assert "Next draft wording." in _markdown(engine, w.member, chapter_id, draft=True)
    with pytest.raises(PermissionDenied):
        _markdown(engine, w.observer, chapter_id, draft=True)


def test_observers_export_every_approved_revision_but_never_the_draft(
    engine: Engine, w: World
) -> None:
    _, chapter_id = _edition(engine, w.admin, w.community.id)
    section_id = _section(engine, w.member, chapter_id, title="Text", body="Wording one.")
    _approve(engine, w, chapter_id)
    with read_session(engine) as s:
        version = s.get(Section, section_id).version
    with write_session(engine) as s:
        toolkit_sections.update_section(s, w.member, section_id, version, body="Wording two.")
    _approve(engine, w, chapter_id)
    for fmt in ("md", "html", "docx", "pdf"):
        assert toolkit_export.export_chapter(
            w.observer, chapter_id, fmt, revision=1, engine=engine
        ).data
        with pytest.raises(PermissionDenied):
            toolkit_export.export_chapter(w.observer, chapter_id, fmt, draft=True, engine=engine)
    assert "Wording one." in _markdown(engine, w.observer, chapter_id, revision=1)
    assert "Wording two." in _markdown(engine, w.observer, chapter_id)


def test_outsiders_read_only_the_published_revision_of_a_workspace_community(
    engine: Engine, w: World
) -> None:
    edition_id, chapter_id = _edition(engine, w.admin, w.community.id)
    section_id = _section(engine, w.member, chapter_id, title="Text", body="Wording one.")
    with pytest.raises(NotFound):
        _markdown(engine, w.outsider, chapter_id)  # nothing approved yet
    _approve(engine, w, chapter_id)
    with read_session(engine) as s:
        version = s.get(Section, section_id).version
    with write_session(engine) as s:
        toolkit_sections.update_section(s, w.member, section_id, version, body="Wording two.")
    _approve(engine, w, chapter_id)
    assert "Wording two." in _markdown(engine, w.outsider, chapter_id)
    with pytest.raises(PermissionDenied):
        _markdown(engine, w.outsider, chapter_id, revision=1)
    whole = toolkit_export.export_toolkit(w.outsider, edition_id, "md", engine=engine).data.decode()
    assert "Wording two." in whole and "Wording one." not in whole


def test_whole_toolkit_leaves_out_chapters_without_an_approved_revision(
    engine: Engine, w: World
) -> None:
    edition_id, chapter_id = _edition(engine, w.admin, w.community.id)
    _section(engine, w.member, chapter_id, title="Only a draft", body="Draft text.")
    other = factories.world(engine)
    with write_session(engine) as s:
        other_chapter = toolkit.add_chapter(s, w.admin, edition_id, other.community.id).id
    _section(engine, other.member, other_chapter, title="Published", body="Approved text.")
    _approve(engine, other, other_chapter)
    published = toolkit_export.export_toolkit(
        w.observer, edition_id, "md", engine=engine
    ).data.decode()
    assert "Approved text." in published and "Draft text." not in published
    with_drafts = toolkit_export.export_toolkit(
        w.member, edition_id, "md", drafts=True, engine=engine
    ).data.decode()
    assert "Approved text." in with_drafts and "Draft text." in with_drafts


def test_whole_toolkit_says_which_chapters_it_left_out(engine: Engine, w: World) -> None:
    """Issue 17, defect 17: chapters without an approved revision were left out silently."""
    edition_id, chapter_id = _edition(engine, w.admin, w.community.id)
    _section(engine, w.member, chapter_id, title="Only a draft", body="Draft text.")
    draft_title = _chapter(engine, chapter_id).title
    published = toolkit_export.export_toolkit(
        w.observer, edition_id, "md", engine=engine
    ).data.decode()
    assert "Not yet in this file, for want of an approved revision: " in published
    assert draft_title in published
    with_drafts = toolkit_export.export_toolkit(
        w.member, edition_id, "md", drafts=True, engine=engine
    ).data.decode()
    assert "Not yet in this file" not in with_drafts
    with read_session(engine) as s:
        chapters = toolkit.list_chapters(s, w.member, edition_id)
    assert toolkit_export.left_out(chapters, drafts=False) == [draft_title]
    assert toolkit_export.left_out(chapters, drafts=True) == []


# --- revisions -----------------------------------------------------------------------------


def test_comparing_two_revisions_marks_the_changed_words(engine: Engine, w: World) -> None:
    _, chapter_id = _edition(engine, w.admin, w.community.id)
    section_id = _section(engine, w.member, chapter_id, title="Text", body="Old line.")
    _approve(engine, w, chapter_id)
    with read_session(engine) as s:
        version = s.get(Section, section_id).version
    with write_session(engine) as s:
        toolkit_sections.update_section(s, w.member, section_id, version, body="New line.")
    _approve(engine, w, chapter_id)
    with read_session(engine) as s:
        diff = toolkit_revisions.compare_revisions(s, w.observer, chapter_id, 1, 2)
        same = toolkit_revisions.compare_revisions(s, w.observer, chapter_id, 2, 2)
        with pytest.raises(PermissionDenied):
            toolkit_revisions.compare_revisions(s, w.observer, chapter_id, 2, "draft")
        draft = toolkit_revisions.compare_revisions(s, w.member, chapter_id, 2, "draft")
    assert [(c.title, c.status) for c in diff] == [("Text", "changed")]
    assert diff[0].html == "<p><del>Old</del><ins>New</ins> line.</p>\n"
    assert [c.status for c in same] == ["unchanged"] and [c.status for c in draft] == ["unchanged"]


def test_facilitator_restores_a_revision_as_the_new_draft(engine: Engine, w: World) -> None:
    _, chapter_id = _edition(engine, w.admin, w.community.id)
    first = _section(engine, w.member, chapter_id, title="Kept", body="Original.")
    _approve(engine, w, chapter_id)
    with read_session(engine) as s:
        version = s.get(Section, first).version
    with write_session(engine) as s:
        toolkit_sections.update_section(
            s, w.member, first, version, title="Rewritten", body="Worse."
        )
    _section(engine, w.member, chapter_id, "lessons_learned")
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        toolkit_revisions.restore_revision(
            s, w.member, chapter_id, _chapter(engine, chapter_id).version, 1
        )
    with write_session(engine) as s, pytest.raises(ConflictError):
        toolkit_revisions.restore_revision(
            s, w.facilitator, chapter_id, _chapter(engine, chapter_id).version - 1, 1
        )
    with write_session(engine) as s:
        toolkit_revisions.restore_revision(
            s, w.facilitator, chapter_id, _chapter(engine, chapter_id).version, 1
        )
    with read_session(engine) as s:
        sections = toolkit.live_sections(s, chapter_id)
        assert [(x.title, x.body) for x in sections] == [("Kept", "Original.")]
        restored = toolkit_revisions.compare_revisions(s, w.member, chapter_id, 1, "draft")
        assert [c.status for c in restored] == ["unchanged"]
        assert [r.number for r in toolkit.list_revisions(s, w.member, chapter_id)] == [1]
    assert _chapter(engine, chapter_id).status == ChapterStatus.DRAFT


def test_restoring_a_revision_keeps_every_open_comment_on_a_visible_section(
    engine: Engine, w: World
) -> None:
    """Issue 17, defect 2: the restored sections showed "Comments (0 open)" while the comments sat
    on the replaced sections."""
    _, chapter_id = _edition(engine, w.admin, w.community.id)
    kept = _section(engine, w.member, chapter_id, title="Kept", body="Original.")
    _approve(engine, w, chapter_id)
    with read_session(engine) as s:
        version = s.get(Section, kept).version
    with write_session(engine) as s:
        toolkit_sections.update_section(s, w.member, kept, version, body="Worse.")
        toolkit_sections.add_comment(s, w.facilitator, kept, "Why was this rewritten?")
    added = _section(engine, w.member, chapter_id, "lessons_learned")
    with write_session(engine) as s:
        toolkit_sections.add_comment(s, w.facilitator, added, "Lessons need examples.")
    with write_session(engine) as s:
        restored = toolkit_revisions.restore_revision(
            s, w.facilitator, chapter_id, _chapter(engine, chapter_id).version, 1
        )
        restored_ids = [x.id for x in restored]
    with read_session(engine) as s:
        sections = toolkit.live_sections(s, chapter_id)
        comments = toolkit_sections.chapter_comments(s, w.member, chapter_id)
    assert [(x.id, x.title, x.body) for x in sections] == [(kept, "Kept", "Original.")]
    assert restored_ids == [kept]  # the same section comes back, so links and comments hold
    assert sorted(c.text for c in comments[kept]) == [
        "Lessons need examples.",
        "Why was this rewritten?",
    ]
    assert set(comments) == {kept}


# --- key results and the consistent snapshot -----------------------------------------------


def test_key_results_count_held_workshops_attendance_cities_actions_and_shared_scores(
    engine: Engine,
) -> None:
    city_a, city_b = (
        factories.organisation(engine, "Ghent"),
        factories.organisation(engine, "Zagreb"),
    )
    c = factories.community(engine)
    facilitator = factories.actor(engine, Role.FACILITATOR, c.id, organisation_id=city_a)
    member = factories.actor(engine, Role.MEMBER, c.id, organisation_id=city_b)
    held = factories.workshop(engine, facilitator, c.id, host_organisation_id=city_a)
    factories.workshop(
        engine,
        facilitator,
        c.id,
        title="Later",
        starts_at=datetime(2026, 9, 1, 10),
        ends_at=datetime(2026, 9, 1, 12),
    )
    with write_session(engine) as s:
        for person in (facilitator.person_id, member.person_id):
            attendance.add_attendee(s, facilitator, held.id, person_id=person, attended=True)
        attendance.add_guest(
            s, facilitator, held.id, name="Guest", organisation="NGO", attended=True
        )
        workshops.mark_held(s, facilitator, held.id, held.version)
        actions.create_action(
            s,
            member,
            community_id=c.id,
            title="Open a welcome point",
            owner_person_id=member.person_id,
            due_date=date(2027, 1, 1),
        )
        standard = standards.create_standard(
            s, facilitator, c.id, title="Welcome", statement="Within a week."
        )
        standards.approve_standard(s, facilitator, standard.id, standard.version)
        scores.record_score(
            s, facilitator, standard.id, city_a, 1, assessed_on=date(2024, 6, 1), shared=True
        )
        scores.record_score(
            s, facilitator, standard.id, city_a, 3, assessed_on=date(2025, 1, 1), shared=True
        )
        scores.record_score(
            s, facilitator, standard.id, city_b, 1, assessed_on=date(2025, 1, 1), shared=False
        )
    with read_session(engine) as s:
        results = key_results.key_results(s, facilitator, c.id)
    assert (results.workshops_held, results.workshops_planned) == (1, 1)
    assert (results.attendances, results.participants, results.host_cities) == (3, 3, 1)
    assert results.cities == 2
    assert (results.actions, results.actions_done) == (1, 0)
    assert results.average_score == 3.0  # Zagreb kept its score within the community
    assert results.workshops_by_year == [(2026, 1)]
    # What the infographic draws beside the figures (issue 21, item 3).
    assert results.held_by_year == [(2026, 1, 0)]  # one workshop, no study visit
    assert results.first_scores == [1.0]  # Ghent started at 1, is at 3 now
    assert sorted(name for name, _lat, _lon in results.city_places) == ["Ghent", "Zagreb"]
    assert results.community_id == c.id and results.practices == 0


def test_an_export_reads_one_snapshot_while_someone_edits(engine: Engine, w: World) -> None:
    _, chapter_id = _edition(engine, w.admin, w.community.id)
    section_id = _section(engine, w.member, chapter_id, title="Text", body="Before the edit.")
    with toolkit_export.snapshot_session(engine) as snapshot:
        first = toolkit_export.chapter_export_document(snapshot, w.member, chapter_id, draft=True)
        with read_session(engine) as s:
            version = s.get(Section, section_id).version
        with write_session(engine) as s:
            toolkit_sections.update_section(
                s, w.member, section_id, version, body="After the edit."
            )
        snapshot.expire_all()
        second = toolkit_export.chapter_export_document(snapshot, w.member, chapter_id, draft=True)
    assert first.to_json() == second.to_json()
    assert "After the edit." in _markdown(engine, w.member, chapter_id, draft=True)


def test_a_draft_computes_its_key_results_once_per_read_and_still_asks_who_reads(
    engine: Engine,
) -> None:
    """The draft's table and infographic share one computation (the capacity profile of
    issue 24 found the dozen queries run twice per chapter view); a private community's
    figures stay hidden from an outsider even when they were computed in the same read."""
    c = factories.community(engine, visibility="private")
    w_member = factories.actor(engine, Role.MEMBER, c.id)
    outsider = factories.actor(engine, Role.MEMBER, factories.community(engine).id)
    factories.workshop(engine, w_member, c.id)
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        with read_session(engine) as s:
            first = key_results.key_results(s, w_member, c.id)
            computed = len(statements)
            again = key_results.key_results(s, w_member, c.id)
            with pytest.raises(NotFound):
                key_results.key_results(s, outsider, c.id)
        assert again is first
        assert computed >= 8  # the figures: a dozen queries
        assert len(statements) - computed <= 4  # the second time: who may read the community
        with write_session(engine) as s:  # in a write, a flush may change the answer: no reuse
            key_results.key_results(s, w_member, c.id)
            before = len(statements)
            key_results.key_results(s, w_member, c.id)
        assert len(statements) - before >= 8
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)
