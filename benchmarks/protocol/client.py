"""A Streamlit session driven over its own WebSocket protocol, without a browser.

Why: a browser load test measures Chromium (it spent four times the server's
CPU in one round), so it cannot say how many people one server holds. This
client speaks what the browser's JavaScript speaks: it opens
``/_stcore/stream`` with the sign-in cookie in the handshake, sends
``BackMsg.rerun_script`` (page, query string, widget values) and reads
``ForwardMsg``s until ``script_finished``. The elements drawn in that run are
kept, so a step can check the text a person would see and find a widget's id
by its label to fill it in the next run, as the browser does.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

# script_finished's status values (ForwardMsg.ScriptFinishedStatus).
FINISHED_SUCCESSFULLY = ForwardMsg.FINISHED_SUCCESSFULLY
FINISHED_WITH_COMPILE_ERROR = ForwardMsg.FINISHED_WITH_COMPILE_ERROR
# A rerun interrupted by the next one (st.rerun, or a newer BackMsg) finishes "early for rerun":
# the script starts again and the step waits for the run after it.
FINISHED_EARLY_FOR_RERUN = ForwardMsg.FINISHED_EARLY_FOR_RERUN


def unescape(markdown: str) -> str:
    """Text as a person reads it: the app escapes Markdown in labels (``load\\.x`` is ``load.x``)."""
    return ESCAPED.sub(r"\1", markdown)


ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


class ProtocolError(RuntimeError):
    """The server answered with an exception, an error alert or not at all."""


@dataclass
class Element:
    """One element drawn in a run: its kind (``markdown``, ``text_area`` ...) and its proto."""

    kind: str
    proto: Any

    @property
    def label(self) -> str:
        return unescape(str(getattr(self.proto, "label", "")))

    @property
    def widget_id(self) -> str:
        return str(getattr(self.proto, "id", ""))

    @property
    def text(self) -> str:
        """The visible text of a text-like element (markdown body, alert body, heading ...)."""
        for name in ("body", "label", "text"):
            value = getattr(self.proto, name, None)
            if isinstance(value, str) and value:
                return unescape(value)
        return ""


@dataclass
class Run:
    """What one script run sent: its elements, bytes on the wire and how long it took."""

    elements: list[Element] = field(default_factory=list)
    messages: int = 0
    bytes: int = 0
    seconds: float = 0.0
    status: int = FINISHED_SUCCESSFULLY
    reruns: int = 0  # runs the script cut short with st.rerun() before this one finished

    def texts(self) -> Iterator[str]:
        for element in self.elements:
            if element.text:
                yield element.text

    def contains(self, text: str) -> bool:
        return any(text in value for value in self.texts())

    def errors(self) -> list[str]:
        """Exceptions and error alerts drawn in the run: a step that shows one has failed."""
        found = []
        for element in self.elements:
            if element.kind == "exception":
                found.append(f"{element.proto.type}: {element.proto.message}")
            elif element.kind == "alert" and element.proto.format == element.proto.ERROR:
                found.append(element.proto.body)
        return found

    def widget(self, kind: str, label: str) -> Element:
        """The first widget of this kind whose label is exactly ``label``."""
        for element in self.elements:
            if element.kind == kind and element.label == label:
                return element
        labels = sorted({e.label for e in self.elements if e.kind == kind})
        raise ProtocolError(f"no {kind} labelled {label!r} (there are: {labels})")

    def component(self, name: str, label: str) -> Element:
        """The first ``st.components.v2`` element named ``name``... whose data has this ``label``.

        A component draws its own label in the browser: the label travels in its JSON data
        (the Markdown editor's ``{"label": ...}``). ``name`` is the start of the component's
        name: the Markdown editor is ``cop_markdown_editor``, or ``cop_markdown_editor_light``
        after the run's first editor.
        """
        found = [
            e
            for e in self.elements
            if e.kind == "bidi_component" and e.proto.component_name.startswith(name)
        ]
        for element in found:
            if _data(element).get("label") == label:
                return element
        labels = sorted(str(_data(e).get("label", "")) for e in found)
        raise ProtocolError(f"no {name} labelled {label!r} (there are: {labels})")


def _data(element: Element) -> dict[str, Any]:
    try:
        data = json.loads(element.proto.json or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


class Session:
    """One person's browser tab, as the server sees it."""

    def __init__(self, url: str, cookies: dict[str, str] | None = None, timeout: float = 60.0):
        parsed = urlparse(url)
        self.origin = f"{parsed.scheme}://{parsed.netloc}"
        scheme = "wss" if parsed.scheme == "https" else "ws"
        self.stream_url = f"{scheme}://{parsed.netloc}{parsed.path.rstrip('/')}/_stcore/stream"
        self.cookies = cookies or {}
        self.timeout = timeout
        self.ws: websocket.WebSocket | None = None
        self.page_script_hash = ""

    def connect(self) -> None:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        self.ws = websocket.create_connection(
            self.stream_url,
            timeout=self.timeout,
            subprotocols=["streamlit"],
            origin=self.origin,
            cookie=cookie or None,
        )

    def close(self) -> None:
        """Drop the connection, as a closed tab does, without waiting for the server's goodbye.

        websocket-client's ``close()`` waits for the server's close frame and swallows any
        exception meanwhile (a bare ``except``), Locust's stop included: a person stopped
        there walked on forever and the level never ended.
        """
        if self.ws is not None:
            self.ws.shutdown()
            self.ws = None

    def rerun(
        self,
        page: str = "",
        query: str = "",
        widgets: Iterable[WidgetState] = (),
    ) -> Run:
        """Run the page (its URL path, "" for the default) and wait for the run to finish."""
        if self.ws is None:
            self.connect()
        message = BackMsg()
        state = message.rerun_script
        state.query_string = query
        state.page_name = page
        state.page_script_hash = "" if page else self.page_script_hash
        state.widget_states.widgets.extend(widgets)
        state.context_info.timezone = "Europe/Berlin"
        state.context_info.locale = "en-GB"
        started = time.perf_counter()
        assert self.ws is not None
        self.ws.send_binary(message.SerializeToString())
        return self._read_run(started)

    def _read_run(self, started: float) -> Run:
        run = Run()
        assert self.ws is not None
        while True:
            data = self.ws.recv()
            if not isinstance(data, bytes):
                continue
            run.messages += 1
            run.bytes += len(data)
            forward = ForwardMsg()
            forward.ParseFromString(data)
            kind = forward.WhichOneof("type")
            if kind == "new_session":
                self.page_script_hash = forward.new_session.page_script_hash
            elif kind == "delta":
                delta = forward.delta
                block = delta.add_block if delta.WhichOneof("type") == "add_block" else None
                if block is not None and block.WhichOneof("type") == "tab_container":
                    # Tabs with a key are a widget too: its value is the open tab's label.
                    run.elements.append(Element("tab_container", block.tab_container))
                if delta.WhichOneof("type") == "new_element":
                    element = delta.new_element
                    which = element.WhichOneof("type")
                    if which:
                        run.elements.append(Element(which, getattr(element, which)))
            elif kind == "page_info_changed":
                pass
            elif kind == "script_finished":
                run.status = forward.script_finished
                if run.status == FINISHED_EARLY_FOR_RERUN:
                    run.elements.clear()
                    run.reruns += 1
                    continue
                run.seconds = time.perf_counter() - started
                return run


def text_value(element: Element, value: str) -> WidgetState:
    state = WidgetState(id=element.widget_id)
    state.string_value = value
    return state


def component_state(element: Element, value: dict[str, Any]) -> WidgetState:
    """A component's state as its script sets it (``setStateValue``): one JSON object."""
    state = WidgetState(id=element.widget_id)
    state.json_value = json.dumps(value)
    return state


def open_tab(element: Element, label: str) -> WidgetState:
    """Open the tab called ``label`` of a keyed ``st.tabs`` (a page draws only its open tab)."""
    state = WidgetState(id=element.widget_id)
    state.string_value = label
    return state


def press(element: Element) -> WidgetState:
    state = WidgetState(id=element.widget_id)
    state.trigger_value = True
    return state
