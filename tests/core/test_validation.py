"""The checking helpers every service uses for input it cannot trust (issue 18)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from cop.core.errors import ValidationError
from cop.core.settings import LIMITS
from cop.core.validation import (
    Checker,
    extra_cells,
    plain_line,
    version_of,
    zone_named,
)


@pytest.mark.parametrize("value", [42, ["x"], {"x": "y"}, b"x", 2.5])
def test_a_value_that_is_not_text_is_a_field_message_in_every_text_check(value: Any) -> None:
    for check in (Checker.title, Checker.optional_line, Checker.long_text, Checker.search):
        chk = Checker()
        check(chk, "field", value)
        assert "must be text" in chk.errors["field"], check.__name__
    chk = Checker()
    chk.email("email", value)
    assert "email" in chk.errors


def test_a_search_is_trimmed_text_of_at_most_the_limit() -> None:
    chk = Checker()
    assert chk.search("text", "  wel\x00come  ") == "welcome"
    assert chk.search("text", None) == "" and chk.search("text", "   ") == ""
    assert chk.search("text", "é" * LIMITS.search_max) == "é" * LIMITS.search_max
    assert not chk.errors
    started = time.perf_counter()
    chk.search("text", "x" * 1_000_000)
    assert time.perf_counter() - started < 0.5
    assert "1,000,000 characters" in chk.errors["text"]


@pytest.mark.parametrize(("value", "number"), [(3, 3), ("3", 3), (" 12 ", 12)])
def test_a_version_is_a_whole_number_also_as_text(value: Any, number: int) -> None:
    assert version_of(value) == number


@pytest.mark.parametrize("value", ["abc", "", None, 1.5, True, 0, -1, 10**30, [1], "³"])
def test_anything_else_as_a_version_is_refused_on_the_version_field(value: Any) -> None:
    with pytest.raises(ValidationError) as err:
        version_of(value)
    assert set(err.value.fields) == {"version"}


@pytest.mark.parametrize(
    "name", ["Europe", "America", "Etc", "Europe/" + "B" * 300, "../../etc/passwd", "", None, 1]
)
def test_only_known_iana_names_open_a_zone(name: Any) -> None:
    assert zone_named(name) is None


def test_a_known_zone_opens() -> None:
    zone = zone_named("Europe/Berlin")
    assert zone is not None and str(zone) == "Europe/Berlin"


@pytest.mark.parametrize(
    "value", ["ma\x00ria", "maria\x07", "maria\ud800", "a\nb", "x" * 255, ["maria"], 42, None]
)
def test_a_line_no_stored_value_can_equal_is_none(value: Any) -> None:
    assert plain_line(value) is None


def test_a_plain_line_is_trimmed() -> None:
    assert plain_line("  Maria  ") == "Maria"


def test_only_filled_extra_cells_are_a_problem() -> None:
    assert extra_cells(None) is None and extra_cells(["", " ", None]) is None
    problem = extra_cells(["", "Room 2"])
    assert problem is not None and "Room 2" in str(problem)
