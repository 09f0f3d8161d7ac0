"""kill -9 in the middle of a stream of writes: the file is intact and every acknowledged write is there."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_sigkill_during_writes_loses_no_acknowledged_write(sqlite_url: str) -> None:
    env = {**os.environ, "COP_DATABASE_URL": sqlite_url}
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.writer"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    acknowledged: list[int] = []
    deadline = time.time() + 60
    assert writer.stdout is not None
    while len(acknowledged) < 300 and time.time() < deadline:
        line = writer.stdout.readline()
        if not line:
            break
        acknowledged.append(int(line))
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=10)
    assert len(acknowledged) >= 300, "the writer did not get going"

    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {
            row[0] for row in conn.execute("SELECT id FROM organisation WHERE name LIKE 'Ack %'")
        }
        audited = {
            row[0]
            for row in conn.execute(
                "SELECT record_id FROM audit_event WHERE action = 'organisation.create'"
            )
        }
    missing = set(acknowledged) - stored
    assert not missing, f"{len(missing)} acknowledged writes lost"
    assert set(acknowledged) <= audited, "a stored write lost its audit event"
