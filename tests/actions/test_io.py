"""Actions to CSV and back: the round trip changes nothing, the preview lists every change and problem, all or nothing."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import select

from cop.actions import io as action_io
from cop.actions import updates as action_updates
from cop.actions.io import apply_actions_import, export_actions_csv, preview_actions_import
from cop.actions.models import Action
from cop.core.audit import AuditEvent
from cop.core.db import read_session, write_session
from cop.core.permissions import SYSTEM
from tests import factories
from tests.actions.test_service import make_action
from tests.factories import World

TITLE_CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
titles = st.one_of(
    st.text(TITLE_CHARS, min_size=1, max_size=60).filter(lambda t: t.strip()),
    st.sampled_from(
        [
            "=SUM(A1:A9)",
            "+1",
            "-5",
            "@cmd",
            "'quoted",
            "''=x",
            "＝HYPERLINK()",
            "مرحبا 👋🏽",
            'a,"b"',
        ]
    ),
)
tag_lists = st.lists(
    st.sampled_from(["Welcome", "=Buddies", "Sport ⚽", "'Youth", "Jobs"]), max_size=3, unique=True
)
SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def w(engine: Engine) -> World:
    return factories.world(engine)


def _rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=action_io.COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _snapshot(engine: Engine) -> list[tuple]:
    with read_session(engine) as s:
        return [
            (
                a.id,
                a.version,
                a.title,
                a.status,
                a.progress,
                a.start_date,
                a.due_date,
                a.priority,
                a.tags,
            )
            for a in s.exec(select(Action).order_by(Action.id))
        ]


def _audit_count(engine: Engine) -> int:
    with read_session(engine) as s:
        return len(s.exec(select(AuditEvent.id)).all())


@SETTINGS
@given(
    specs=st.lists(
        st.tuples(
            titles,
            tag_lists,
            st.sampled_from(["idea", "planned", "in_progress", "done", "dropped"]),
            st.booleans(),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_export_then_import_of_an_unchanged_file_changes_nothing(
    engine: Engine, w: World, specs: list
) -> None:
    for title, tags, status, with_start in specs:
        action = make_action(
            engine,
            w.member,
            w.community.id,
            w.member,
            title=title,
            tags=tags,
            start_date=date(2026, 1, 5) if with_start else None,
        )
        if status != "planned":
            with write_session(engine) as s:
                action_updates.post_update(s, w.member, action.id, text="moved", new_status=status)
    with read_session(engine) as s:
        data = export_actions_csv(s, w.observer, w.community.id)
    before, audited = _snapshot(engine), _audit_count(engine)
    with write_session(engine) as s:
        preview = preview_actions_import(s, w.facilitator, data)
        applied = apply_actions_import(s, w.facilitator, data)
    assert preview.ok and applied.ok and applied.applied, preview.problems()
    assert preview.changed == [] and len(preview.rows) == len(before)
    assert (_snapshot(engine), _audit_count(engine)) == (before, audited)


@SETTINGS
@given(
    broken=st.sampled_from(
        [
            ("due_date", "2026-02-30"),
            ("due_date", ""),
            ("start_date", "next week"),
            ("status", "finished"),
            ("progress", "110"),
            ("progress", "NaN"),
            ("id", "999999"),
            ("id", ""),
            ("priority", "urgent"),
            ("version", "0"),
            ("title", "  "),
            ("owner", "Somebody Else"),
        ]
    ),
    position=st.integers(min_value=0, max_value=2),
)
def test_a_file_with_one_broken_row_writes_nothing(
    engine: Engine, w: World, broken: tuple[str, str], position: int
) -> None:
    for n in range(3):
        make_action(
            engine,
            w.member,
            w.community.id,
            w.member,
            title=f"Action {n}",
            due_date=date(2026, 6, n + 1),
        )
    with read_session(engine) as s:
        rows = _rows(export_actions_csv(s, w.facilitator, w.community.id))
    for row in rows:
        row["status"], row["due_date"] = "in_progress", "2026-09-30"
    field, value = broken
    rows[position][field] = value
    if field == "version":
        rows[position]["title"] = "Renamed"  # a stale row only matters when it changes something
    before, audited = _snapshot(engine), _audit_count(engine)
    with write_session(engine) as s:
        result = apply_actions_import(s, w.facilitator, _csv(rows))
    assert not result.ok and not result.applied
    assert [line for line, _, _ in result.problems()] == [position + 2]
    assert (_snapshot(engine), _audit_count(engine)) == (before, audited)


def test_the_preview_lists_each_change_and_a_new_status_brings_its_progress(
    engine: Engine, w: World
) -> None:
    first = make_action(engine, w.member, w.community.id, w.member, title="First")
    second = make_action(engine, w.member, w.community.id, w.member, title="Second")
    with read_session(engine) as s:
        rows = _rows(export_actions_csv(s, w.facilitator, w.community.id))
    rows[0].update(status="done", due_date="2026-12-01", tags="Welcome, Sport")
    rows[1].update(status="in_progress", progress="35")
    with write_session(engine) as s:
        preview = preview_actions_import(s, w.facilitator, _csv(rows))
    assert preview.ok
    assert preview.rows[0].changes == {
        "status": ("planned", "done"),
        "progress": (10, 100),
        "due_date": (date(2026, 6, 30), date(2026, 12, 1)),
        "tags": ([], ["Welcome", "Sport"]),
    }
    assert preview.rows[1].changes == {"status": ("planned", "in_progress"), "progress": (10, 35)}
    with read_session(engine) as s:
        assert s.get(Action, first.id).status == "planned"  # type: ignore[union-attr]
    with write_session(engine) as s:
        assert apply_actions_import(s, w.facilitator, _csv(rows)).applied
    with read_session(engine) as s:
        done, started = s.get(Action, first.id), s.get(Action, second.id)
        assert (done.status, done.progress, done.tags, done.version) == (
            "done",
            100,
            ["Welcome", "Sport"],
            first.version + 1,
        )  # type: ignore[union-attr]
        assert (started.status, started.progress) == ("in_progress", 35)  # type: ignore[union-attr]
        assert (
            s.exec(
                select(AuditEvent.action)
                .where(AuditEvent.record_id == first.id, AuditEvent.record_type == "action")
                .order_by(AuditEvent.id.desc())
            ).first()
            == "action.import"
        )  # type: ignore[union-attr]


def test_import_is_for_facilitators_and_stale_rows_are_named(engine: Engine, w: World) -> None:
    action = make_action(engine, w.member, w.community.id, w.member)
    with read_session(engine) as s:
        rows = _rows(export_actions_csv(s, w.observer, w.community.id))
    rows[0]["status"] = "done"
    with write_session(engine) as s:
        refused = preview_actions_import(s, w.member, _csv(rows))
    assert "may not import" in refused.rows[0].errors["id"]
    with write_session(engine) as s:
        action_updates.post_update(s, w.member, action.id, text="Started", new_status="in_progress")
    with write_session(engine) as s:
        stale = preview_actions_import(s, w.facilitator, _csv(rows))
    assert "after the export" in stale.rows[0].errors["version"]
    private = factories.world(engine, visibility="private")
    hidden = make_action(engine, private.member, private.community.id, private.member)
    rows[0].update(id=str(hidden.id), version=str(hidden.version), owner=private.member.name)
    with write_session(engine) as s:
        unknown = preview_actions_import(s, w.facilitator, _csv(rows))
    assert unknown.rows[0].errors == {"id": f"There is no action with id {hidden.id}."}
    with write_session(engine) as s:
        assert apply_actions_import(s, SYSTEM, _csv(rows)).applied


def test_a_file_that_is_not_an_export_is_refused_as_a_whole(engine: Engine, w: World) -> None:
    with write_session(engine) as s:
        for data, expected in (
            (b"\xff\xfe\x00garbage", "not UTF-8"),
            (b"name,email\nA,b@c.de\n", "Missing columns"),
            (_csv([]), "no rows"),
        ):
            preview = preview_actions_import(s, w.facilitator, data)
            assert not preview.ok and expected in preview.file_errors[0]


def test_export_defuses_formulas_and_keeps_unicode(engine: Engine, w: World) -> None:
    make_action(
        engine, w.member, w.community.id, w.member, title='=HYPERLINK("http://x")', tags=["@home"]
    )
    make_action(engine, w.member, w.community.id, w.member, title="Düsseldorf ✨ مرحبا")
    with read_session(engine) as s:
        rows = _rows(export_actions_csv(s, w.observer, w.community.id))
    assert [r["title"] for r in rows] == ['\'=HYPERLINK("http://x")', "Düsseldorf ✨ مرحبا"]
    assert rows[0]["tags"] == "'@home"
    assert list(rows[0]) == action_io.COLUMNS


def test_an_import_keeps_milestones_and_sub_actions_in_charge_of_their_percentages(
    engine: Engine, w: World
) -> None:
    parent = make_action(engine, w.member, w.community.id, w.member, title="Parent")
    child = make_action(
        engine, w.member, w.community.id, w.member, title="Child", parent_id=parent.id
    )
    staged = make_action(
        engine, w.member, w.community.id, w.member, title="Staged", progress_mode="milestones"
    )
    with write_session(engine) as s:
        for title in ("One", "Two"):
            action_updates.add_milestone(s, w.member, staged.id, title=title)
    with read_session(engine) as s:
        rows = {r["title"]: r for r in _rows(export_actions_csv(s, w.facilitator, w.community.id))}
    rows["Child"]["status"] = "done"
    rows["Staged"]["status"] = "in_progress"
    with write_session(engine) as s:
        preview = preview_actions_import(s, w.facilitator, _csv(list(rows.values())))
    changes = {r.title: r.changes for r in preview.rows}
    assert changes["Child"] == {"status": ("planned", "done"), "progress": (10, 100)}
    assert changes["Staged"] == {"status": ("planned", "in_progress")}  # milestones keep it at 0 %
    rows["Parent"]["progress"] = "80"
    with write_session(engine) as s:
        refused = apply_actions_import(s, w.facilitator, _csv(list(rows.values())))
    assert not refused.applied and "sub-actions" in refused.problems()[0][2]
    rows["Parent"]["progress"] = "10"
    with write_session(engine) as s:
        assert apply_actions_import(s, w.facilitator, _csv(list(rows.values()))).applied
    with read_session(engine) as s:
        assert (s.get(Action, child.id).progress, s.get(Action, parent.id).progress) == (100, 100)  # type: ignore[union-attr]
        assert s.get(Action, staged.id).progress == 0  # type: ignore[union-attr]


def test_a_row_with_more_cells_than_the_header_is_a_reported_problem(
    engine: Engine, w: World
) -> None:
    """An unquoted comma in the last column made two cells of one; the second was dropped silently."""
    make_action(engine, w.member, w.community.id, w.member, title="First")
    with read_session(engine) as s:
        rows = _rows(export_actions_csv(s, w.facilitator, w.community.id))
    rows[0].update(status="done")
    data = _csv(rows).rstrip(b"\r\n") + b",Room 2,,\r\n"
    padded = _csv(rows).rstrip(b"\r\n") + b",,\r\n"
    with write_session(engine) as s:
        preview = preview_actions_import(s, w.facilitator, data)
        applied = apply_actions_import(s, w.facilitator, data)
        assert preview_actions_import(s, w.facilitator, padded).ok  # empty padding loses nothing
    assert not preview.ok and not applied.applied
    assert [(line, field) for line, field, _m in preview.problems()] == [(2, "file")]
    assert "Room 2" in preview.problems()[0][2]
    with read_session(engine) as s:
        assert s.get(Action, rows[0]["id"]).status != "done"  # type: ignore[union-attr]
