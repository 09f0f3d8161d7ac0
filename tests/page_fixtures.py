"""AppTest fixtures: the demo workspace in a SQLite file, and pages run signed in.

Sign-in uses the documented test seam (cop.shell.testing.sign_in_state): the
session state a real form sign-in leaves behind. The gate still re-reads the
user from the database and applies every check.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from cop.backup.demo import load_demo
from cop.core import db, schema
from cop.shell.testing import sign_in_state

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    engine = db.get_engine(f"sqlite:///{path}")
    schema.upgrade(engine)
    load_demo(engine)
    db.dispose_engines()
    return path


@pytest.fixture
def demo_db(tmp_path: Path, demo_template: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private copy of the demo workspace, made the app's database."""
    path = tmp_path / "cop.db"
    shutil.copy(demo_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("COP_DATABASE_URL", url)
    monkeypatch.setenv("COP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("COP_DEMO", raising=False)
    yield url
    engine = db._engines.pop(url, None)
    if engine is not None:
        engine.dispose()


@pytest.fixture
def run_page(demo_db: str) -> Callable[..., AppTest]:
    """Run ``pages/<name>.py`` signed in as ``username`` (None: not signed in)."""

    def run(
        name: str,
        username: str | None = "facilitator",
        query: dict[str, str] | None = None,
        *,
        tab: str | None = None,
    ) -> AppTest:
        """``tab``: the tab open on a page that draws only its open tab (the Administration
        page's ``admin_tab``), as a click on it would."""
        target = ROOT / ("app.py" if name == "app" else f"pages/{name}.py")
        at = AppTest.from_file(str(target), default_timeout=TIMEOUT)
        if username:
            for key, value in sign_in_state(username).items():
                at.session_state[key] = value
        if tab is not None:
            at.session_state[f"{name}_tab"] = tab
        for key, value in (query or {}).items():
            at.query_params[key] = value
        return at.run()

    return run


def texts(at: AppTest) -> str:
    """Everything a user would read on the page, for assertions."""
    parts = (
        [m.value for m in at.markdown] + [t.value for t in at.title] + [h.value for h in at.header]
    )
    parts += [s.value for s in at.subheader] + [c.value for c in at.caption]
    parts += (
        [str(e.value) for e in at.error]
        + [str(w.value) for w in at.warning]
        + [str(i.value) for i in at.info]
    )
    return as_shown("\n".join(str(p) for p in parts))


def as_shown(markdown_source: str) -> str:
    """What Streamlit shows for escaped plain text (cop.shell.text.plain): each backslash
    escape as its character, without the invisible word joiners."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown_source).replace("\u2060", "")


def press_in_grid(at: AppTest, column: str, row: int, grid: int = 0) -> AppTest:
    """What the browser sends when a button cell of a dataframe is clicked, then a run.

    AppTest has no interaction for a dataframe's button column (``ButtonColumn``), so the
    click goes in as the browser sends it: a trigger next to the other widgets' values.
    """
    frame = at.dataframe[grid]
    states = at._tree.get_widget_states()
    trigger = states.widgets.add()
    trigger.id = frame.proto.button_click_widgets[column]
    label = str(frame.value[column].iloc[row])
    trigger.string_trigger_value.data = json.dumps({"row": row, "label": label})
    return at._run(states)


def markdown_editors(at: AppTest) -> dict[str, Any]:
    """The Markdown editors on the page (``cop.shell.markdown_editor``) by key: their components' elements."""
    from cop.shell.markdown_editor.component import LIGHT, NAME
    from cop.shell.markdown_editor.editor import component_key

    suffix = component_key("")
    return {
        e.proto.id.split("-", 2)[2].removesuffix(suffix): e
        for e in at.get("bidi_component")
        if e.proto.component_name in (NAME, LIGHT)
    }


def markdown_editor_element(at: AppTest, key: str) -> Any:
    """The Markdown editor keyed ``key``: its component's element."""
    found = markdown_editors(at)
    assert key in found, f"no Markdown editor keyed {key!r} on the page: {list(found)}"
    return found[key]


def markdown_shown(at: AppTest, key: str) -> str:
    """The text the Markdown editor keyed ``key`` was drawn with (what the browser shows)."""
    return str(json.loads(markdown_editor_element(at, key).proto.json)["value"])


def type_markdown(at: AppTest, key: str, text: str) -> AppTest:
    """Type ``text`` into the Markdown editor keyed ``key``, as the browser reports it, and run.

    AppTest does not run the component's script, so the edit goes in as the browser sends
    it: the component's state next to the other widgets' values. In a form the browser holds
    it until the form is submitted; the page only reads it then, so sending it now is the same.
    """
    states = at._tree.get_widget_states()
    edit = states.widgets.add()
    edit.id = markdown_editor_element(at, key).proto.id
    edit.json_value = json.dumps({"edit": {"text": text, "id": uuid.uuid4().hex}})
    return at._run(states)
