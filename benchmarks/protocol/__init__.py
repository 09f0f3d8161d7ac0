"""Simulated people over Streamlit's own protocol: the client, the journey, Locust's users."""

from __future__ import annotations

import sys
from pathlib import Path

LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"


def locust_command(users: int, spawn_rate: int, seconds: int, csv_prefix: Path) -> list[str]:
    """Locust headless, its statistics as CSV beside ``csv_prefix``; a failed step never aborts it."""
    return [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "-u",
        str(users),
        "-r",
        str(spawn_rate),
        "-t",
        f"{seconds}s",
        "--csv",
        str(csv_prefix),
        "--only-summary",
        "--stop-timeout",
        "30",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
