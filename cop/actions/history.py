"""How the history names actions and their parts (updates, milestones, indicators).

Registered through cop/registry.py; ``cop.core.history`` turns the audit events
into sentences with these nouns and the action form's labels.
"""

from __future__ import annotations

from cop.core.history import Kind, Reference, register
from cop.core.i18n import N_

STATUSES = {
    "idea": N_("Idea"),
    "planned": N_("Planned"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "dropped": N_("Dropped"),
}
PRIORITIES = {"low": N_("Low"), "normal": N_("Normal"), "high": N_("High")}
PROGRESS_MODES = {"status": N_("By status and updates"), "milestones": N_("By milestones done")}

register(
    "action",
    Kind(
        noun=N_("the action “{title}”"),
        page="actions",
        fields={
            "title": N_("Title"),
            "objective": N_("Objective (Markdown)"),
            "owner_person_id": N_("Owner"),
            "organisation_id": N_("City or organisation leading it"),
            "start_date": N_("Start date"),
            "due_date": N_("Due date"),
            "status": N_("Status"),
            "progress": N_("Progress (%)"),
            "progress_mode": N_("Progress is measured"),
            "priority": N_("Priority"),
            "tags": N_("Tags"),
            "parent_id": N_("Part of"),
            "workshop_id": N_("Workshop"),
            "co_owner_ids": N_("Co-owners"),
            "partner_ids": N_("Partner organisations"),
        },
        references={
            "owner_person_id": Reference("person"),
            "co_owner_ids": Reference("person"),
            "organisation_id": Reference("organisation"),
            "partner_ids": Reference("organisation"),
            "parent_id": Reference("action", "title"),
            "workshop_id": Reference("workshop", "title"),
        },
        choices={"status": STATUSES, "priority": PRIORITIES, "progress_mode": PROGRESS_MODES},
        dates=frozenset({"start_date", "due_date"}),
    ),
)
register(
    "action_update",
    Kind(
        noun=N_("an update on the action “{parent}”"),
        title="text",
        parent=("action_id", "action"),
    ),
)
register(
    "action_milestone",
    Kind(
        noun=N_("the milestone “{title}” of the action “{parent}”"),
        parent=("action_id", "action"),
        fields={"title": N_("Milestone"), "due_date": N_("Due date"), "done": N_("Done")},
        dates=frozenset({"due_date"}),
    ),
)
register(
    "action_indicator",
    Kind(
        noun=N_("the indicator “{title}” of the action “{parent}”"),
        title="name",
        parent=("action_id", "action"),
        fields={
            "name": N_("Indicator"),
            "unit": N_("Unit"),
            "baseline": N_("Baseline"),
            "target": N_("Target"),
            "current": N_("Current"),
        },
    ),
)
