"""Click-to-render in Chromium: every page of the navigation and the main states (issue 24 item 1).

Method: a real ``streamlit run serve.py`` on a copy of the demo workspace, and two floors
served by their own ``streamlit run`` in the same run: a trivial two-page app (a title
each, ``benchmarks/pages/floor_trivial.py``) and a typical two-page app (a title, three
metrics, a 50-row table, a bar chart, a small form, a sidebar selectbox;
``benchmarks/pages/floor_typical.py``). One headless Chromium, signed in as the demo's
admin (who sees every page), walks the steps below ``ROUNDS`` times: each sidebar page,
then opening a workshop, an action, the actions board and timeline, a toolkit chapter and
search results. Each click is timed until a finished script run follows it, the step's own
content is visible and Streamlit has settled (no skeleton). After every few steps each
floor's sidebar click is timed the same way, so the floors share the machine's drift.
Right after each demo click, a second page signed in to a copy of the large workspace
(``cop seed --scale large``, as ``bench``, a member of three communities) makes the same
click, so each step's large/demo ratio shares the run: the steps whose content grows
with the workspace (``LARGE_STEPS``).

Besides the time, each click records what happened in the page (a wrapper around the
page's WebSocket, installed before Streamlit loads): the ForwardMsgs received and their
bytes, the script runs it caused (a component's rerun shows as a second run), the
component iframes on the page, and the time from the click to the last message received
(the server's run and the transfer); the rest of the time is the browser drawing and the
settling. Each timed click starts from a quiet browser: every open tab (both workspaces and
the floors share one Chromium) has drawn its last frame and found idle time (``quiet``), as a
person reads a page before the next click; the large map's chart, still being drawn after its
run had finished, fell into the next demo step's time. Written to benchmarks/results/clicks.json; RESULTS.md gives p50 and p95 of each
step and their ratio to each floor's.

Run alone: ``.venv/bin/python benchmarks/bench_clicks.py [rounds]`` (20 by default).
"""

from __future__ import annotations

import json
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Locator, Page, sync_playwright  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError  # noqa: E402

import cop.registry  # noqa: E402, F401  (every table)
from benchmarks.clicks import TIMEOUT_S, idle  # noqa: E402
from benchmarks.workspaces import BENCH_PASSWORD, BENCH_USER  # noqa: E402
from tests.browser.conftest import (  # noqa: E402
    CHROMIUM,
    DEMO_PASSWORD,
    LAUNCH_ARGS,
    Server,
    start_server,
    stop_server,
)
from tests.browser.journeys import (
    demo_server,  # noqa: E402
    enter,  # noqa: E402
)
from tests.browser.test_load import _start_trivial  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
TRIVIAL = ROOT / "benchmarks" / "pages" / "floor_trivial.py"
TYPICAL = ROOT / "benchmarks" / "pages" / "floor_typical.py"
FLOORS_EVERY = 6  # one click of each floor after this many steps

# Installed before the page's own scripts: counts finished script runs and what the socket carries.
PROBE = """
window.__cop = {runs: 0, state: null, recv: [], sent: [], clickAt: 0};
new MutationObserver(() => {
    const el = document.querySelector('[data-test-script-state]');
    const state = el && el.getAttribute('data-test-script-state');
    if (state === window.__cop.state) return;
    if (state === 'notRunning' && window.__cop.state === 'running') window.__cop.runs += 1;
    window.__cop.state = state;
}).observe(document, {subtree: true, childList: true, attributes: true});
for (const kind of ['pointerdown', 'keydown']) {
    document.addEventListener(kind, () => { window.__cop.clickAt = performance.now(); }, true);
}
const NativeSocket = window.WebSocket;
window.WebSocket = function (...args) {
    const socket = new NativeSocket(...args);
    socket.addEventListener('message', (event) => {
        const size = event.data.byteLength ?? event.data.size ?? event.data.length ?? 0;
        window.__cop.recv.push([performance.now(), size]);
    });
    const send = socket.send.bind(socket);
    socket.send = (data) => {
        window.__cop.sent.push([performance.now(), data.byteLength ?? data.length ?? 0]);
        return send(data);
    };
    return socket;
};
window.WebSocket.prototype = NativeSocket.prototype;
Object.assign(window.WebSocket, NativeSocket);
"""
RESET = "() => { const c = window.__cop; c.recv = []; c.sent = []; c.clickAt = 0; return c.runs; }"
READ = """(runs) => {
    const c = window.__cop;
    return {runs: c.runs - runs, clickAt: c.clickAt, recv: c.recv, sent: c.sent.length,
            now: performance.now(),
            iframes: document.querySelectorAll('iframe').length};
}"""


@dataclass
class Click:
    total_ms: float
    messages: int
    bytes: int
    runs: int
    sent: int
    iframes: int
    to_last_message_ms: float


def timed_click(page: Page, click: Callable[[], None], shown: Locator) -> Click:
    """Time ``click`` until a script run finished after it, ``shown`` is visible and the page settled."""
    before = page.evaluate(RESET)
    started = time.perf_counter()
    click()
    deadline = time.monotonic() + TIMEOUT_S
    # ``shown`` is absent before the click; an answer from the server must have come too.
    while page.evaluate("() => window.__cop.recv.length > 0") is False:
        if time.monotonic() > deadline:
            raise AssertionError("the server did not answer the click")
        time.sleep(0.01)
    shown.first.wait_for(state="visible", timeout=TIMEOUT_S * 1000)
    idle(page)
    total = time.perf_counter() - started
    seen = page.evaluate(READ, before)
    click_at = seen["clickAt"] or seen["now"]
    last = max((at for at, _ in seen["recv"]), default=click_at)
    return Click(
        total_ms=total * 1000,
        messages=len(seen["recv"]),
        bytes=sum(size for _, size in seen["recv"]),
        runs=seen["runs"],
        sent=seen["sent"],
        iframes=seen["iframes"],
        to_last_message_ms=max(0.0, last - click_at),
    )


# Two frames drawn, then the tab's idle time (at most a second): what was drawing has finished.
QUIET = """() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(
    () => requestIdleCallback(() => done(true), {timeout: 1000}))))"""


def quiet(pages: list[Page]) -> None:
    """Every tab of the browser has drawn what it got and is idle: the next click starts clean."""
    for page in pages:
        page.evaluate(QUIET)


SENT = "() => window.__cop.sent.length"
RUNS = "() => window.__cop.runs"


def settled(page: Page, click: Callable[[], None]) -> None:
    """A click that readies a step (not timed), then the end of the run it caused.

    ``idle`` right after a click can answer before the widget has even sent its rerun;
    that rerun then fell into the next step's timing as a second message sent and a run the
    step did not cause (open_workshop's "sent" 2 came from the "Upcoming" click before it).
    A click that changes nothing (the tab already shown) sends nothing: a second's wait.
    """
    sent, runs = page.evaluate(SENT), page.evaluate(RUNS)
    click()
    deadline = time.monotonic() + 1.0
    while page.evaluate(SENT) == sent and time.monotonic() < deadline:
        time.sleep(0.01)
    if page.evaluate(SENT) != sent:
        deadline = time.monotonic() + TIMEOUT_S
        while page.evaluate(RUNS) == runs and time.monotonic() < deadline:
            time.sleep(0.01)
    idle(page)


def _nav(page: Page, title: str) -> Callable[[], None]:
    return page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click


@dataclass
class Step:
    name: str
    prepare: Callable[[Page], None] | None
    click: Callable[[Page], None]
    shown: Callable[[Page], Locator]


def _main(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def _heading(name: str | re.Pattern[str], *, exact: bool = False) -> Callable[[Page], Locator]:
    return lambda page: _main(page).get_by_role("heading", name=name, exact=exact)


def _page(key: str, title: str, shown: Callable[[Page], Locator]) -> Step:
    return Step(key, None, lambda page: _nav(page, title)(), shown)


def _tab(name: str) -> Callable[[Page], None]:
    return lambda page: _main(page).get_by_role("tab", name=name, exact=True).click()


def _open_first_link(page: Page) -> None:
    _main(page).get_by_test_id("stPageLink-NavLink").first.click()


def _search(page: Page) -> None:
    box = _main(page).get_by_role("textbox", name=re.compile("Search"))
    box.fill("volunteer")
    box.press("Enter")


def _tab_first(name: str) -> Callable[[Page], None]:
    """Show the ``name`` tab (not timed), so the step's own tab click changes something."""

    def prepare(page: Page) -> None:
        settled(page, lambda: _tab(name)(page))

    return prepare


class _Chapter:
    """The toolkit's chapter picker: each time the chapter that is not shown."""

    def __init__(self) -> None:
        self.name = ""

    def prepare(self, page: Page) -> None:
        _main(page).get_by_role("combobox", name="Chapter", exact=True).click()
        options = page.get_by_role("option")
        try:  # as journeys.choose: a click may only focus the box
            options.first.wait_for(state="visible", timeout=3_000)
        except PlaywrightTimeoutError:
            page.keyboard.press("ArrowDown")
            options.first.wait_for(state="visible")
        unselected = options.and_(page.locator('[aria-selected="false"]'))
        self.name = unselected.first.inner_text().strip()
        # The list is still sliding open: Playwright's click would wait for it to stand still,
        # inside the timed step (about 100 ms no person waits: they click what they see).
        page.wait_for_timeout(400)

    def click(self, page: Page) -> None:
        page.get_by_role("option", name=self.name, exact=True).click()

    def shown(self, page: Page) -> Locator:
        return _main(page).get_by_role("heading", name=self.name, exact=True)


def _back_to_list(page: Page) -> None:
    settled(page, _main(page).get_by_role("button", name="Back to the list").click)


_CHAPTER = _Chapter()
STEPS = [
    _page("home", "Home", _heading(re.compile("^Welcome"))),
    _page("workshops", "Workshops", _heading("Workshops")),
    Step(
        "open_workshop",
        lambda page: settled(page, _main(page).get_by_role("radio", name="Upcoming").click),
        _open_first_link,
        lambda page: _main(page).get_by_role("button", name="Back to the list"),
    ),
    _page("actions", "Actions", _heading("Joint actions")),
    Step(
        "board", _tab_first("Table"), _tab("Board"), lambda page: _main(page).locator(".cop-card")
    ),
    Step(
        "open_action",
        None,
        lambda page: _main(page).locator(".cop-card-title").first.click(),
        lambda page: _main(page).get_by_role("button", name="Back to the list"),
    ),
    Step(
        "timeline",
        lambda page: (_back_to_list(page), _tab_first("Table")(page)),
        _tab("Timeline"),
        lambda page: _main(page).locator('[data-testid="stVegaLiteChart"]'),
    ),
    _page("practices", "Practices", _heading("Practices and standards")),
    _page("map", "Map", _heading("Map", exact=True)),
    _page("toolkit", "Toolkit", _heading("Toolkit", exact=True)),
    Step("chapter", _CHAPTER.prepare, _CHAPTER.click, _CHAPTER.shown),
    _page("search", "Search", _heading("Search", exact=True)),
    Step(
        "search_results",
        None,
        _search,
        # The count, or with more than a page of them, "The first 50 results are shown; …"
        lambda page: _main(page).get_by_text(
            re.compile(r"^(\d+ results|The first \d+ results are shown; there are more\.)$")
        ),
    ),
    _page("organisations", "Organisations", _heading("Organisations", exact=True)),
    _page("profile", "Profile", _heading("Your profile")),
    _page("admin", "Admin", _heading("Administration")),
]


def _floor_click(page: Page, target: str, prefix: str) -> Click:
    return timed_click(page, _nav(page, target), _heading(f"{prefix} {target.lower()}")(page))


def _stats(values: list[float]) -> dict[str, float]:
    p95 = (
        statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]
    )
    return {"n": len(values), "p50_ms": statistics.median(values), "p95_ms": p95}


def _summary(clicks: list[Click]) -> dict[str, float]:
    figures = _stats([c.total_ms for c in clicks])
    figures.update(
        {
            "messages": statistics.median(c.messages for c in clicks),
            "kbytes": statistics.median(c.bytes for c in clicks) / 1024,
            "runs": statistics.median(c.runs for c in clicks),
            "sent": statistics.median(c.sent for c in clicks),
            "iframes": max(c.iframes for c in clicks),
            "to_last_message_p50_ms": statistics.median(c.to_last_message_ms for c in clicks),
        }
    )
    figures["browser_p50_ms"] = max(0.0, figures["p50_ms"] - figures["to_last_message_p50_ms"])
    return figures


def _large_server(data_dir: Path) -> Server:
    """``streamlit run serve.py`` on a copy of the large workspace (benchmarks.workspaces)."""
    from benchmarks.workspaces import large_workspace

    source = Path(large_workspace().removeprefix("sqlite:///"))
    folder = data_dir / "large"
    folder.mkdir()
    target = folder / "cop.db"
    with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(target)) as copy:
        original.backup(copy)
    return start_server(
        folder, extra_env={"COP_DATABASE_URL": f"sqlite:///{target}", "COP_DEMO": "0"}
    )


# Steps the large workspace's bench member walks too: those whose content grows with the
# workspace, and the empty search form the results are searched from. The Administration page
# is the admin's; `cop seed --scale large` makes no toolkit edition (no chapter to open, a
# Toolkit page that says so); one's own profile is the same size in any workspace.
LARGE_STEPS = {s.name for s in STEPS} - {"admin", "chapter", "toolkit", "profile"}


def measure(rounds: int = 20, only: list[str] | None = None, large: bool = True) -> dict:
    """Each step's clicks on the demo (as admin) and, right after each, on the large workspace
    (as ``bench``, a member of three communities): both share the floors and the machine's drift."""
    steps = [s for s in STEPS if not only or s.name in only]
    clicks: dict[str, list[Click]] = {s.name: [] for s in steps}
    on_large: dict[str, list[Click]] = {s.name: [] for s in steps if s.name in LARGE_STEPS}
    clicks["floor_trivial"], clicks["floor_typical"] = [], []
    with tempfile.TemporaryDirectory(prefix="cop-bench-clicks-") as folder:
        data_dir = Path(folder)
        server = demo_server(data_dir)
        servers = [server]
        trivial = _start_trivial(data_dir, TRIVIAL)
        typical = _start_trivial(data_dir, TYPICAL)
        try:
            if large:
                servers.append(_large_server(data_dir))
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)

                def new_page(url: str | None = None) -> Page:
                    context = browser.new_context(viewport={"width": 1400, "height": 900})
                    context.add_init_script(PROBE)
                    page = context.new_page()
                    if url:
                        page.goto(url)
                        idle(page)
                    return page

                app = new_page()
                enter(app, server.url, "admin", DEMO_PASSWORD, cookie=True)
                apps = [(app, clicks)]
                if large:
                    big = new_page()
                    enter(big, servers[1].url, BENCH_USER, BENCH_PASSWORD, cookie=True)
                    apps.append((big, on_large))
                floors = {
                    "floor_trivial": (new_page(trivial.url), "Trivial"),  # type: ignore[attr-defined]
                    "floor_typical": (new_page(typical.url), "Typical"),  # type: ignore[attr-defined]
                }
                flips = {"floor_trivial": 0, "floor_typical": 0}
                every_tab = [page for page, _ in apps] + [page for page, _ in floors.values()]
                for number in range(rounds + 1):  # round 0 warms everything up
                    for index, step in enumerate(steps):
                        for page, into in apps:
                            if step.name not in into:
                                continue
                            if step.prepare is not None:
                                step.prepare(page)
                            quiet(every_tab)
                            took = timed_click(
                                page, lambda s=step, p=page: s.click(p), step.shown(page)
                            )
                            if number:
                                into[step.name].append(took)
                        if index % FLOORS_EVERY == FLOORS_EVERY - 1 or index == len(steps) - 1:
                            for name, (page, prefix) in floors.items():
                                flips[name] += 1
                                target = ("First", "Second")[flips[name] % 2]
                                quiet(every_tab)
                                took = _floor_click(page, target, prefix)
                                if number:
                                    clicks[name].append(took)
                browser.close()
        finally:
            for running in servers:
                stop_server(running)
            for process in (trivial, typical):
                process.terminate()
                process.wait(timeout=10)
    figures = {name: _summary(values) for name, values in clicks.items() if values}
    large_figures = {name: _summary(values) for name, values in on_large.items() if values}
    for rows in (figures, large_figures):
        for row in rows.values():
            for floor in ("floor_trivial", "floor_typical"):
                short = floor.removeprefix("floor_")
                row[f"p50_vs_{short}"] = row["p50_ms"] / figures[floor]["p50_ms"]
                row[f"p95_vs_{short}"] = row["p95_ms"] / figures[floor]["p95_ms"]
    for name, row in large_figures.items():
        row["p50_vs_demo"] = row["p50_ms"] / figures[name]["p50_ms"]
        row["p95_vs_demo"] = row["p95_ms"] / figures[name]["p95_ms"]
    return {"rounds": rounds, "steps": figures, "large": large_figures}


def table(figures: dict) -> str:
    """The Markdown table RESULTS.md shows."""
    lines = [
        "| step | p50 ms | p95 ms | p95 / trivial | p50 / typical | p95 / typical "
        "| to last message ms | browser ms | messages | kB | sent | iframes |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, row in figures["steps"].items():
        lines.append(
            f"| {name} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} | {row['p95_vs_trivial']:.2f}x "
            f"| {row['p50_vs_typical']:.2f}x | {row['p95_vs_typical']:.2f}x "
            f"| {row['to_last_message_p50_ms']:.0f} | {row['browser_p50_ms']:.0f} "
            f"| {row['messages']:.0f} | {row['kbytes']:.1f} | {row['sent']:.0f} | {row['iframes']} |"
        )
    return "\n".join(lines)


def large_table(figures: dict) -> str:
    """The large workspace's rows: its clicks, each next to the floors and the demo's same step."""
    lines = [
        "| step | p50 ms | p95 ms | p95 / trivial | p95 / typical | large / demo p50 "
        "| large / demo p95 | to last message ms | browser ms | messages | kB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, row in figures.get("large", {}).items():
        lines.append(
            f"| {name} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} | {row['p95_vs_trivial']:.2f}x "
            f"| {row['p95_vs_typical']:.2f}x | {row['p50_vs_demo']:.2f}x | {row['p95_vs_demo']:.2f}x "
            f"| {row['to_last_message_p50_ms']:.0f} | {row['browser_p50_ms']:.0f} "
            f"| {row['messages']:.0f} | {row['kbytes']:.1f} |"
        )
    return "\n".join(lines)


def main(rounds: int = 20, *only: str) -> int:
    figures = {
        "command": f".venv/bin/python benchmarks/bench_clicks.py {rounds}",
        **measure(rounds, list(only) or None),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "clicks.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    print(table(figures))
    print(large_table(figures))
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(main(int(args[0]) if args else 20, *args[1:]))
