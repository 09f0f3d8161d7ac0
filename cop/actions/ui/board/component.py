"""The board's browser part: our script over SortableJS as one ``st.components.v2`` component.

It runs in the page (no iframe, no build step). SortableJS 1.15.7 (MIT, ``SORTABLE-LICENSE``)
is the npm package's ``Sortable.min.js``, shipped here unchanged and sent inline with our
script (``cop.shell.components``), so nothing is fetched from outside the host. Titles,
names and labels travel as JSON data and ``board.js`` sets them with ``textContent`` only.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from typing import Any

import streamlit as st

from cop.shell.components import module_script

NAME = "cop_action_board"
_HERE = files(__package__)

_mount = st.components.v2.component(
    NAME,
    css=(_HERE / "board.css").read_text(encoding="utf-8"),
    js=module_script(_HERE, "sortable.min.js", "Sortable", "board.js"),
    isolate_styles=False,  # SortableJS follows pointer events through the page's own DOM
)


def action_board(
    data: dict[str, Any], *, key: str, on_move: Callable[[], None], on_open: Callable[[], None]
) -> Any:
    """Draw the board; a dragged or menu-moved card calls ``on_move``, a clicked title ``on_open``.

    Their values are in ``st.session_state[key]`` (``move``: id, version, status; ``open``:
    an id) during the callback.
    """
    return _mount(key=key, data=data, on_move_change=on_move, on_open_change=on_open)
