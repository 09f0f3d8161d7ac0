"""The Markdown editor's browser part: our script over markdown-it as one ``st.components.v2`` component.

It runs in the page (no iframe, no build step). markdown-it 15.0.3 (MIT; the libraries it
bundles are listed with their licences in ``MARKDOWN-IT-LICENSE``) is the npm package's
``dist/browser/markdown-it.umd.min.js``, shipped here unchanged and sent inline with our
script (``cop.shell.components``), so nothing is fetched from outside the host. Labels
travel as JSON data and ``editor.js`` sets them with ``textContent``; the preview is
markdown-it's HTML with raw HTML turned off.
"""

from __future__ import annotations

import weakref
from importlib.resources import files
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from cop.shell.components import module_script

NAME = "cop_markdown_editor"
LIGHT = "cop_markdown_editor_light"  # the same editor without markdown-it
_HERE = files(__package__)
_CSS = (_HERE / "editor.css").read_text(encoding="utf-8")
# The editor's component is the element's kind in the page, not its identity (that is its
# key), so an editor drawn one run with markdown-it and the next without keeps its state.
_WITH_LIBRARY = st.components.v2.component(
    NAME,
    css=_CSS,
    js=module_script(_HERE, "markdown-it.min.js", "markdownit", "editor.js"),
    isolate_styles=False,  # the editor takes the page's fonts, colours and focus styles
)
_LIGHT = st.components.v2.component(
    LIGHT, css=_CSS, js=module_script(_HERE, None, "markdownit", "editor.js"), isolate_styles=False
)
_SENT_IN = "cop_markdown_library_run"


def _this_run() -> object | None:
    """An object Streamlit makes afresh for each script run (as ``shell.gate`` finds it)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    return getattr(ctx, "parallel_coordinator", None) if ctx is not None else None


def mount(data: dict[str, Any], *, key: str) -> Any:
    """Draw the editor; what is typed comes back as the component's ``edit`` state.

    The run's first editor brings markdown-it (100 kB), the others share it in the
    browser: a form of twelve editors sends the library once per run, not twelve times.
    """
    run, sent = _this_run(), st.session_state.get(_SENT_IN)
    if run is not None and sent is not None and sent() is run:
        return _LIGHT(key=key, data=data)
    if run is not None:
        st.session_state[_SENT_IN] = weakref.ref(run)
    return _WITH_LIBRARY(key=key, data=data)
