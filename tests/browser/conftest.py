"""Real server, real Chromium: a fresh `streamlit run serve.py` per test module.

The browser is Debian's Chromium at /usr/bin/chromium driven by the Python
Playwright client (never a downloaded browser). Where no Chromium can be had
the tests skip with the reason, except under CI=true, where that fails.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("COP_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "demo passphrase 2026"
ARTIFACTS = ROOT / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    data_dir: Path
    process: subprocess.Popen
    log: Path

    @property
    def database_url(self) -> str:
        return os.environ.get("COP_E2E_DATABASE_URL") or f"sqlite:///{self.data_dir / 'cop.db'}"


def start_server(
    data_dir: Path,
    extra_env: dict[str, str] | None = None,
    port: int | None = None,
    extra_args: list[str] | None = None,
) -> Server:
    """``extra_args`` go to `streamlit run` (e.g. ["--server.disconnectedSessionTTL", "10"])."""
    port = port or _free_port()
    env = {**os.environ, "COP_DATA_DIR": str(data_dir), "COP_DEMO": "1"}
    env.pop("COP_DATABASE_URL", None)
    env.update(extra_env or {})
    log = data_dir / f"server-{port}.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "serve.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            *(extra_args or []),
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return Server(url=url, data_dir=data_dir, process=process, log=log)
        except OSError:
            time.sleep(0.3)
        if process.poll() is not None:
            break
    process.kill()
    raise RuntimeError(f"streamlit did not start: {log.read_text()[-3000:]}")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
    log = server.log.read_text(errors="replace")
    if "Traceback" in log:  # shown with the test's output, to find the cause of a failure
        print(f"--- server log {server.url} ---\n{log[-6000:]}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("server"))
    yield running
    stop_server(running)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server per module on a copy of the demo workspace built once per run (see journeys.py)."""
    from tests.browser.journeys import demo_server

    running = demo_server(tmp_path_factory.mktemp("demo"))
    yield running
    stop_server(running)
