"""A time zone's file is read from disk once, however many zones a page shows in turn.

ZoneInfo keeps only the last eight zones it made; ``format_date`` asked for the zone of
every date shown, so a list of the workshops of 30 cities read zone files for each row
(a third of the large workspace's map page, issue 24). Observed through Python's audit
events, which report every file opened.
"""

from __future__ import annotations

import sys

from cop.core.validation import time_zone_names, zone_named

_opened: list[str] = []
_watching: list[bool] = [False]


def _hook(event: str, args: tuple) -> None:
    if _watching[0] and event == "open" and args and isinstance(args[0], str):
        _opened.append(args[0])


sys.addaudithook(_hook)  # a hook stays for the process: it records only while watching


def test_thirty_zones_asked_for_in_turn_are_read_from_disk_once() -> None:
    names = sorted(n for n in time_zone_names() if n.startswith("Europe/"))[:30]
    assert len(names) == 30
    for name in names:  # the first time each is read
        assert zone_named(name) is not None
    _opened.clear()
    _watching[0] = True
    try:
        for _round in range(2):
            for name in names:
                assert str(zone_named(name)) == name
    finally:
        _watching[0] = False
    assert _opened == []


def test_a_name_not_in_the_list_is_no_zone() -> None:
    assert zone_named("Europe") is None and zone_named("x" * 300) is None
    assert zone_named(None) is None
