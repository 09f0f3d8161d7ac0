"""A community's key results as plain figures: computed by cop.toolkit.key_results, drawn here
(export imports no capability, so the numbers come to it as this dataclass)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from babel.numbers import format_decimal

from cop.core.i18n import DEFAULT_LANGUAGE, N_


def number_text(value: float, language: str = DEFAULT_LANGUAGE, pattern: str = "#,##0") -> str:
    """A figure with ``language``'s grouping and decimal signs (12,345 / 12.345; with
    ``pattern`` "#,##0.0" a score: 2.7 / 2,7)."""
    return format_decimal(value, format=pattern, locale=language)


SCORE = "#,##0.0"  # a self-assessment score: one decimal


@dataclass
class KeyResults:
    """The figures of one community, and the series its infographic draws."""

    community: str
    community_id: int = 0  # names the cluster's colour (``charts.cluster_colour``)
    workshops_held: int = 0
    workshops_planned: int = 0
    study_visits: int = 0
    attendances: int = 0
    participants: int = 0
    cities: int = 0
    host_cities: int = 0
    actions: int = 0
    actions_done: int = 0
    actions_overdue: int = 0
    average_progress: float | None = None
    average_score: float | None = None
    practices: int = 0  # approved practice examples
    workshops_by_year: list[tuple[int, int]] = field(default_factory=list)
    actions_by_status: list[tuple[str, int]] = field(default_factory=list)
    scores_by_standard: list[tuple[str, float, int]] = field(
        default_factory=list
    )  # title, mean, cities
    first_scores: list[float | None] = field(
        default_factory=list
    )  # per standard as in scores_by_standard: the same cities' first shared scores, averaged
    held_by_year: list[tuple[int, int, int]] = field(
        default_factory=list
    )  # year, workshops (visits not counted), study visits
    city_places: list[tuple[str, float | None, float | None]] = field(
        default_factory=list
    )  # member city, latitude, longitude

    def figures(
        self, _: Callable[[str], str] = str, language: str = DEFAULT_LANGUAGE
    ) -> list[tuple[str, str]]:
        """Label and value of each figure, as the chapter's table shows them (``_`` translates;
        numbers with ``language``'s grouping and decimal signs: 2.7 / 2,7)."""

        def number(value: float, pattern: str = "#,##0") -> str:
            return number_text(value, language, pattern)

        rows = [
            (_(N_("Workshops and visits held")), number(self.workshops_held)),
            (_(N_("Study visits among them")), number(self.study_visits)),
            (_(N_("Workshops planned")), number(self.workshops_planned)),
            (_(N_("Attendances")), number(self.attendances)),
            (_(N_("Different participants")), number(self.participants)),
            (_(N_("Cities taking part")), number(self.cities)),
            (_(N_("Cities that hosted")), number(self.host_cities)),
            (_(N_("Joint actions")), number(self.actions)),
            (_(N_("Actions done")), number(self.actions_done)),
            (_(N_("Actions overdue")), number(self.actions_overdue)),
            (_(N_("Practice examples")), number(self.practices)),
        ]
        if self.average_progress is not None:
            rows.append(
                (_(N_("Average progress of open actions")), f"{number(self.average_progress)} %")
            )
        if self.average_score is not None:
            rows.append(
                (
                    _(N_("Average self-assessment score (0-4, shared scores)")),
                    number(self.average_score, SCORE),
                )
            )
        return rows
