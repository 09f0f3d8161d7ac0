"""How the history names practices, standards and self-assessment scores.

Registered through cop/registry.py; ``cop.core.history`` turns the audit events
into sentences with these nouns and the forms' labels.
"""

from __future__ import annotations

from cop.core.history import Kind, Reference, register
from cop.core.i18n import N_

REVIEW = {"draft": N_("Draft"), "in_review": N_("In review"), "approved": N_("Approved")}

register(
    "practice",
    Kind(
        noun=N_("the practice “{title}”"),
        page="practices",
        fields={
            "title": N_("Title"),
            "organisation_id": N_("City"),
            "started_on": N_("Started on"),
            "ended_on": N_("Ended on"),
            "summary": N_("Summary"),
            "people_reached": N_("People reached"),
            "status": N_("Status"),
        },
        references={"organisation_id": Reference("organisation")},
        choices={"status": REVIEW},
        dates=frozenset({"started_on", "ended_on"}),
    ),
)
register(
    "practice_image",
    Kind(
        noun=N_("an image of the practice “{parent}”"),
        title="alt_text",
        parent=("practice_id", "practice"),
    ),
)
register(
    "standard",
    Kind(
        noun=N_("the standard “{title}”"),
        fields={"title": N_("Title"), "status": N_("Status")},
        choices={"status": REVIEW},
    ),
)
register(
    "self_assessment",
    Kind(
        noun=N_("a self-assessment score of {title} on the standard “{parent}”"),
        title="organisation_id",
        parent=("standard_id", "standard"),
        references={"organisation_id": Reference("organisation")},
    ),
)
