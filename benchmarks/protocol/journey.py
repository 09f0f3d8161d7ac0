"""The load test's person, as steps over the protocol client: the same journey as the browser's.

Each step sends one rerun (the click a person makes), waits for the run to
finish and checks the text a person would see in what the server sent back;
a step that shows an exception or an error alert, or lacks its text, fails.
Kept free of Locust so a test can drive it without gevent's monkey-patching.
"""

from __future__ import annotations

import re
import time
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from benchmarks.protocol.client import (
    Element,
    ProtocolError,
    Run,
    Session,
    component_state,
    open_tab,
    press,
)

Step = Callable[["Person"], Run | float]
MARKDOWN_EDITOR = "cop_markdown_editor"  # cop.shell.markdown_editor.component.NAME (and LIGHT)


@dataclass
class Person:
    """One simulated person: their session, who they are and what they posted."""

    url: str
    username: str
    name: str
    cookies: dict[str, str]
    session: Session | None = None
    posted: list[str] = field(default_factory=list)
    home: Run | None = None

    def open(self) -> Session:
        if self.session is None:
            self.session = Session(self.url, self.cookies)
        return self.session

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None


def _expect(run: Run, text: str, step: str) -> Run:
    errors = run.errors()
    if errors:
        raise ProtocolError(f"{step}: the page showed {errors[0][:200]!r}")
    if not run.contains(text):
        raise ProtocolError(f"{step}: {text!r} not on the page")
    return run


def _link(run: Run, starts: str) -> Element:
    for element in run.elements:
        if element.kind == "page_link" and element.label.startswith(starts):
            return element
    raise ProtocolError(f"no link starting {starts!r}")


def sign_in(person: Person) -> Run:
    """A new tab with the sign-in cookie: the first run shows the signed-in home."""
    person.close()
    run = person.open().rerun()
    person.home = run
    return _expect(run, f"Welcome, {person.name}", "sign_in")


def workshop_list(person: Person) -> Run:
    run = person.open().rerun("workshops")
    return _expect(run, "workshops and visits", "workshop_list")


def open_workshop(person: Person) -> Run:
    """A workshop from the home page's "Upcoming workshops", opened in place."""
    assert person.home is not None
    link = next(
        (
            e
            for e in person.home.elements
            if e.kind == "page_link"
            and e.proto.page == "workshops"
            and "id=" in e.proto.query_string
        ),
        None,
    )
    if link is None:
        raise ProtocolError("open_workshop: the home page lists no upcoming workshop")
    run = person.open().rerun("workshops", link.proto.query_string)
    return _expect(run, "Back to the list", "open_workshop")


def post_update(person: Person, marker: str) -> Run:
    """Open one's own action from Home and post an update; the update is then drawn in its list."""
    session = person.open()
    home = session.rerun()
    link = _link(home, f"Load action {person.username}")
    action = session.rerun("actions", link.proto.query_string)
    # The update's text is the Markdown editor, a component: what is typed goes back as its
    # state, an "edit" with a new id (cop.shell.markdown_editor), held with the form until posted.
    editor = action.component(MARKDOWN_EDITOR, "Update (Markdown)")
    button = action.widget("button", "Post update")
    body = f"{marker}: met the volunteers of the library."
    edit = component_state(editor, {"edit": {"text": body, "id": f"{marker}-{uuid.uuid4().hex}"}})
    run = session.rerun("actions", link.proto.query_string, [edit, press(button)])
    run.seconds += 0  # the step's time is the posting run's, as a person waits for it
    person.posted.append(marker)
    return _expect(run, marker, "post_update")


DOWNLOAD = re.compile(r"/download/[A-Za-z0-9._\-~%]+")


def export_chapter(person: Person) -> float:
    """The Toolkit page's one-click Markdown download: the page run, then the file over HTTP."""
    session = person.open()
    started = time.perf_counter()
    run = session.rerun("toolkit")
    tabs = next((e for e in run.elements if e.kind == "tab_container" and e.widget_id), None)
    if tabs is not None:  # the chapter draws only its open tab: open "Export"
        run = session.rerun("toolkit", widgets=[open_tab(tabs, "Export")])
    run = _expect(run, "Download", "export_chapter")
    # The chapter's file, not the published website's zip above it.
    button = next(
        (
            e
            for e in run.elements
            if e.kind == "link_button" and e.label.endswith(".md") and DOWNLOAD.search(e.proto.url)
        ),
        None,
    )
    if button is None or not DOWNLOAD.search(button.proto.url):
        drawn = ", ".join(f"{e.kind}:{e.label or e.text[:30]}" for e in run.elements)
        raise ProtocolError(f"export_chapter: no download link on the Toolkit page ({drawn})")
    with urllib.request.urlopen(
        urljoin(person.url + "/", button.proto.url.lstrip("/")), timeout=60
    ) as answer:
        data = answer.read()
    if len(data) < 100 or b"#" not in data:
        raise ProtocolError(f"export_chapter: the chapter file has only {len(data)} bytes")
    return time.perf_counter() - started


def seconds_of(result: Run | float) -> float:
    return result.seconds if isinstance(result, Run) else float(result)


def describe(result: Any) -> int:
    """Bytes the server sent for the step (0 for a file download)."""
    return result.bytes if isinstance(result, Run) else 0
