"""The Markdown editor's browser part: our script over markdown-it as one ``st.components.v2`` component.

It runs in the page (no iframe, no build step). markdown-it 15.0.3 (MIT; the libraries it
bundles are listed with their licences in ``MARKDOWN-IT-LICENSE``) is the npm package's
``dist/browser/markdown-it.umd.min.js``, shipped here unchanged and sent inline with our
script (``cop.shell.components``), so nothing is fetched from outside the host. Labels
travel as JSON data and ``editor.js`` sets them with ``textContent``; the preview is
markdown-it's HTML with raw HTML turned off.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import streamlit as st

from cop.shell.components import module_script

NAME = "cop_markdown_editor"
_HERE = files(__package__)

_mount = st.components.v2.component(
    NAME,
    css=(_HERE / "editor.css").read_text(encoding="utf-8"),
    js=module_script(_HERE, "markdown-it.min.js", "markdownit", "editor.js"),
    isolate_styles=False,  # the editor takes the page's fonts, colours and focus styles
)


def mount(data: dict[str, Any], *, key: str) -> Any:
    """Draw the editor; what is typed comes back as the component's ``edit`` state."""
    return _mount(key=key, data=data)
