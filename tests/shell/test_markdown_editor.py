"""The Markdown editor's Python side (``cop.shell.markdown_editor``), run in AppTest.

AppTest does not run the browser part; ``type_markdown`` sends an edit as the browser does
(the component's state). Chromium uses the toolbar and the preview in
tests/browser/test_markdown_editor_journey.py.
"""

from __future__ import annotations

import json
import tomllib
from importlib.resources import files
from pathlib import Path

from streamlit.testing.v1 import AppTest

from cop.shell.markdown_editor.component import LIGHT, NAME
from tests.page_fixtures import markdown_editor_element, markdown_shown, type_markdown

ROOT = Path(__file__).resolve().parents[2]
UNICODE = "Ünïcödé – نرحب بكم – 日本語 – 🎉\r\n\n  **bold**  \n\t<script>x</script>"


def _page() -> None:
    """A form with an editor, an editor outside it, and a way to hide the second one."""
    import streamlit as st

    from cop.shell.markdown_editor import markdown_editor
    from cop.shell.markdown_editor.editor import sync_editors

    sync_editors()  # the gate does this first in every run of the app
    st.session_state["seen_before_drawing"] = st.session_state.get("body")
    with st.form("f"):
        if st.session_state.get("hide_form"):
            returned = ""
        else:
            returned = markdown_editor(
                "Minutes (Markdown)",
                st.session_state.get("stored", "The stored minutes"),
                key="f-minutes",
                height=150,
                language=st.session_state.get("language", "en"),
            )
        if st.form_submit_button("Save"):
            st.session_state["submitted"] = st.session_state["f-minutes"]
            if st.session_state.get("refuse"):
                st.error("Refused")
            else:
                st.session_state.pop("f-minutes")  # saved: filled afresh from the record
                st.session_state["stored"] = st.session_state["submitted"].strip()
                st.rerun()
    st.session_state["returned"] = returned
    if st.session_state.get("show_body", True):
        markdown_editor("Text (Markdown)", key="body", max_chars=500)


def _run() -> AppTest:
    return AppTest.from_function(_page, default_timeout=30).run()


def _data(at: AppTest, key: str) -> dict:
    return json.loads(markdown_editor_element(at, key).proto.json)


def test_the_editor_is_drawn_with_its_label_text_and_toolbar_in_the_readers_language() -> None:
    at = _run()
    assert not at.exception, at.exception
    data = _data(at, "f-minutes")
    # The run's first editor brings markdown-it; the others share it in the browser.
    first, second = markdown_editor_element(at, "f-minutes"), markdown_editor_element(at, "body")
    assert (first.proto.component_name, second.proto.component_name) == (NAME, LIGHT)
    assert "const markdownit = module.exports;" in first.proto.js_content
    assert second.proto.js_content.startswith("const markdownit = null;")
    assert len(second.proto.js_content) < 30_000 < len(first.proto.js_content)
    assert (data["label"], data["value"], data["height"]) == (
        "Minutes (Markdown)",
        "The stored minutes",
        150,
    )
    assert at.session_state["f-minutes"] == at.session_state["returned"] == "The stored minutes"
    assert markdown_editor_element(at, "f-minutes").proto.form_id == "f"  # held until submitted
    assert markdown_editor_element(at, "body").proto.form_id == ""
    assert _data(at, "body")["max_chars"] == 500
    assert {data["labels"][k] for k in ("heading", "bold", "bullets", "table")} == {
        "Heading",
        "Bold",
        "Bulleted list",
        "Table",
    }
    at.session_state["language"] = "de"
    at.run()
    labels = _data(at, "f-minutes")["labels"]
    assert (labels["bold"], labels["bullets"], labels["preview"]) == (
        "Fett",
        "Aufzählung",
        "Vorschau",
    )


def test_typed_text_is_submitted_with_the_form_verbatim_and_kept_when_refused() -> None:
    at = _run()
    at.session_state["refuse"] = True
    type_markdown(at, "f-minutes", UNICODE)
    assert at.session_state["returned"] == UNICODE
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert at.session_state["submitted"] == UNICODE  # Unicode, spaces and line ends as typed
    assert markdown_shown(at, "f-minutes") == UNICODE  # refused: nothing typed is lost
    at.run()
    assert markdown_shown(at, "f-minutes") == UNICODE


def test_a_form_filled_afresh_after_a_save_is_not_overruled_by_the_last_edit() -> None:
    at = _run()
    type_markdown(at, "f-minutes", "  Saved minutes  ")
    at.button[0].click().run()  # saved; the page drops the text, the stored one comes back
    assert not at.exception, at.exception
    assert at.session_state["stored"] == "Saved minutes"
    assert markdown_shown(at, "f-minutes") == "Saved minutes"
    at.run()  # the browser still holds its last edit; it was taken once and stays taken
    assert markdown_shown(at, "f-minutes") == "Saved minutes"
    type_markdown(at, "f-minutes", "  Saved minutes  ")  # typed again, the same text: a new edit
    assert markdown_shown(at, "f-minutes") == "  Saved minutes  "


def test_the_editor_follows_the_stored_text_until_the_person_types() -> None:
    at = _run()
    at.session_state["stored"] = "Someone else's minutes"
    at.run()
    assert markdown_shown(at, "f-minutes") == "Someone else's minutes"
    type_markdown(at, "f-minutes", "My minutes")
    at.session_state["stored"] = "A third version"
    at.run()
    assert markdown_shown(at, "f-minutes") == "My minutes"


def test_an_edit_is_in_the_text_before_the_page_runs_and_a_hidden_editor_forgets_it() -> None:
    """As Streamlit does for a widget's value (the chapter's section editor relies on both)."""
    at = _run()
    type_markdown(at, "body", "Half a thought")
    assert at.session_state["seen_before_drawing"] == "Half a thought"
    at.session_state["show_body"] = False
    at.run()  # not drawn: Streamlit drops the component's state at the end of this run
    at.run()
    assert "body" not in at.session_state
    at.session_state["show_body"] = True
    at.run()
    assert markdown_shown(at, "body") == ""


def test_an_editor_keeps_its_state_when_it_brings_markdown_it_in_one_run_and_not_the_next() -> None:
    at = _run()
    light_id = markdown_editor_element(at, "body").proto.id
    type_markdown(at, "body", "Typed below the form")
    at.session_state["hide_form"] = True  # now the body's editor is the run's first
    at.run()
    body = markdown_editor_element(at, "body")
    assert body.proto.component_name == NAME and body.proto.id == light_id
    assert markdown_shown(at, "body") == "Typed below the form"


def test_markdown_it_and_its_licence_ship_with_the_package_and_nothing_is_fetched() -> None:
    from cop.shell.components import module_script

    folder = files("cop.shell.markdown_editor")
    script = module_script(folder, "markdown-it.min.js", "markdownit", "editor.js")
    assert "sourceMappingURL" not in script  # no map is shipped, none is asked for
    assert "const markdownit = module.exports;" in script
    assert "html: false" in script and "export default function" in script
    assert "import(" not in script.split("const markdownit")[1]  # our part loads nothing
    licence = (folder / "MARKDOWN-IT-LICENSE").read_text(encoding="utf-8")
    assert "markdown-it 15.0.3" in licence and "Vitaly Puzrin" in licence
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["cop"]
    assert {
        "shell/markdown_editor/*.js",
        "shell/markdown_editor/*.css",
        "shell/markdown_editor/MARKDOWN-IT-LICENSE",
    } <= set(package_data)
