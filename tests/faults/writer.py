"""A stream of writes through the services, acknowledging each committed one on stdout.

Run by test_crash_safety as a subprocess and killed with SIGKILL mid-stream.
"""

from __future__ import annotations

import sys

import cop.registry  # noqa: F401  (every table, and the search index kept in step)
from cop.communities import people
from cop.core.db import write_session
from cop.core.permissions import SYSTEM

if __name__ == "__main__":
    for n in range(1_000_000):
        with write_session() as session:
            organisation = people.create_organisation(session, SYSTEM, name=f"Ack {n} Zürich ✓")
            organisation_id = organisation.id
        print(organisation_id, flush=True)  # acknowledged only after the commit returned
        sys.stdout.flush()
