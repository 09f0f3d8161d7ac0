"""``cop actions export`` / ``cop actions import``: the CSV round trip from a shell, dry run first."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from cop.actions.models import Action
from cop.cli import main
from cop.core.db import read_session
from tests import factories
from tests.actions.test_service import make_action


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_export_edit_dry_run_then_import_from_the_shell(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    w = factories.world(engine)
    action = make_action(engine, w.member, w.community.id, w.member, title="Buddy pilot")
    out = tmp_path / "actions.csv"
    code, said, _ = run(
        capsys, "actions", "export", "--community", w.community.slug, "--out", str(out)
    )
    assert code == 0 and "Wrote 1 actions" in said
    assert (
        run(capsys, "actions", "export", "--community", w.community.slug, "--out", str(out))[0] == 1
    )  # no overwrite
    out.write_bytes(out.read_bytes().replace(b",planned,10,", b",in_progress,10,"))

    code, said, _ = run(capsys, "actions", "import", str(out), "--dry-run")
    assert code == 0 and "status: planned -> in_progress" in said and "Would change 1 of 1" in said
    with read_session(engine) as s:
        assert s.get(Action, action.id).status == "planned"  # type: ignore[union-attr]

    code, said, _ = run(capsys, "actions", "import", str(out))
    assert code == 0 and "Changed 1 of 1" in said
    with read_session(engine) as s:
        assert (s.get(Action, action.id).status, s.get(Action, action.id).progress) == (
            "in_progress",
            50,
        )  # type: ignore[union-attr]

    code, _, err = run(capsys, "actions", "import", str(out))  # the file is now stale
    assert code == 1 and "after the export" in err and "Nothing was imported" in err
    assert (
        run(
            capsys,
            "actions",
            "export",
            "--community",
            "no-such-community",
            "--out",
            str(tmp_path / "x.csv"),
        )[0]
        == 1
    )
