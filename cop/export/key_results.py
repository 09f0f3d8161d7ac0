"""A community's key results as plain figures: computed by cop.toolkit.key_results, drawn here
(export imports no capability, so the numbers come to it as this dataclass)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class KeyResults:
    """The figures of one community, and the series its infographic draws."""

    community: str
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
    workshops_by_year: list[tuple[int, int]] = field(default_factory=list)
    actions_by_status: list[tuple[str, int]] = field(default_factory=list)
    scores_by_standard: list[tuple[str, float, int]] = field(
        default_factory=list
    )  # title, mean, cities

    def figures(self) -> list[tuple[str, str]]:
        """Label and value of each figure, as the chapter's table shows them."""
        rows = [
            ("Workshops and visits held", f"{self.workshops_held:,}"),
            ("Study visits among them", f"{self.study_visits:,}"),
            ("Workshops planned", f"{self.workshops_planned:,}"),
            ("Attendances", f"{self.attendances:,}"),
            ("Different participants", f"{self.participants:,}"),
            ("Cities taking part", f"{self.cities:,}"),
            ("Cities that hosted", f"{self.host_cities:,}"),
            ("Joint actions", f"{self.actions:,}"),
            ("Actions done", f"{self.actions_done:,}"),
            ("Actions overdue", f"{self.actions_overdue:,}"),
        ]
        if self.average_progress is not None:
            rows.append(("Average progress of open actions", f"{self.average_progress:.0f} %"))
        if self.average_score is not None:
            rows.append(
                ("Average self-assessment score (0-4, shared scores)", f"{self.average_score:.1f}")
            )
        return rows
