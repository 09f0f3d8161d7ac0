"""How the history names workshops and their parts (agenda, attendance, outcomes, attachments).

Registered through cop/registry.py; ``cop.core.history`` turns the audit events
into sentences with these nouns and the workshop form's labels.
"""

from __future__ import annotations

from cop.core.history import Kind, Reference, register
from cop.core.i18n import N_
from cop.workshops.labels import FORMAT_LABELS, KIND_LABELS, STATUS_LABELS

ROLES = {"host": N_("Host"), "speaker": N_("Speaker"), "participant": N_("Participant")}
OUTCOME_KINDS = {"insight": N_("Insight"), "decision": N_("Decision"), "action": N_("Action")}

register(
    "workshop",
    Kind(
        noun=N_("the workshop “{title}”"),
        page="workshops",
        fields={
            "title": N_("Title"),
            "kind": N_("Kind"),
            "format": N_("Format"),
            "meeting_link": N_("Meeting link"),
            "place": N_("Place"),
            "starts_at": N_("Starts"),
            "ends_at": N_("Ends"),
            "time_zone": N_("Time zone of the place"),
            "host_organisation_id": N_("Host city or organisation"),
            "objectives": N_("Objectives (Markdown)"),
            "status": N_("Status"),
            "minutes": N_("Minutes (Markdown)"),
            "closing_report": N_("Closing report (Markdown)"),
            "facilitator_ids": N_("Facilitators"),
        },
        references={
            "host_organisation_id": Reference("organisation"),
            "facilitator_ids": Reference("person"),
        },
        choices={"kind": KIND_LABELS, "format": FORMAT_LABELS, "status": STATUS_LABELS},
        dates=frozenset({"starts_at", "ends_at"}),
    ),
)
register(
    "agenda_item",
    Kind(
        noun=N_("the agenda item “{title}” of the workshop “{parent}”"),
        parent=("workshop_id", "workshop"),
        fields={
            "title": N_("Agenda item"),
            "duration_minutes": N_("Minutes"),
            "presenter": N_("Presenter"),
        },
    ),
)
register(
    "attendance",
    Kind(
        noun=N_("the attendance of {title} at the workshop “{parent}”"),
        title="person_id",
        fallback_title="guest_name",
        parent=("workshop_id", "workshop"),
        fields={"role": N_("Role"), "attended": N_("Attended")},
        references={"person_id": Reference("person")},
        choices={"role": ROLES},
    ),
)
register(
    "outcome",
    Kind(
        noun=N_("an outcome of the workshop “{parent}”"),
        title="text",
        parent=("workshop_id", "workshop"),
        fields={"kind": N_("Kind of outcome"), "text": N_("Outcome (Markdown)")},
        choices={"kind": OUTCOME_KINDS},
    ),
)
register(
    "attachment",
    Kind(
        noun=N_("the attachment “{title}” of the workshop “{parent}”"),
        title="original_name",
        parent=("workshop_id", "workshop"),
        fields={"caption": N_("Caption"), "shows_people": N_("The photo shows people")},
    ),
)
