"""One-click downloads: the file is built when the button is pressed, not before.

Streamlit's ``st.download_button`` takes a callable as its data: the browser asks for
the file on the click, the callable runs on a worker thread of the server, and the
download starts when it returns, while the button shows that it is working. So a file
that takes under a second or two needs no "Prepare" step, and no page run pays for
building a file nobody asked for (the bytes are not held in the session either).

The callable runs outside the page's script run: it opens its own database session and
goes through the same services as everything else (permission checks included), and it
must not call Streamlit. A refusal there reaches the person as Streamlit's "Failed to
generate file" notice, so use it for files the page already showed the person may have;
long exports (the whole toolkit, a chapter as PDF) keep their progress panel.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

FileData = str | bytes


def download_now(
    label: str,
    build: Callable[[], FileData],
    *,
    file_name: str,
    mime: str,
    key: str,
    icon: str = ":material/download:",
) -> None:
    """A download button that builds its file with ``build()`` when clicked (one click).

    ``label`` is read as Markdown, as every Streamlit label: user text in it goes through
    ``cop.shell.text.plain`` first.
    """
    st.download_button(
        label,
        build,
        file_name=file_name,
        mime=mime,
        key=key,
        on_click="ignore",  # the page does not rerun for a download
        icon=icon,
    )
