"""The words people read for a workshop's kind, format and status (translated when drawn)."""

from __future__ import annotations

from cop.core.i18n import N_

KIND_LABELS = {
    "workshop": N_("Workshop"),
    "study_visit": N_("Study visit"),
    "staff_exchange": N_("Staff exchange"),
    "city_dialogue": N_("City dialogue"),
    "planning_session": N_("Planning session"),
}


FORMAT_LABELS = {"in_person": N_("In person"), "online": N_("Online"), "hybrid": N_("Hybrid")}


STATUS_LABELS = {"planned": N_("Planned"), "held": N_("Held"), "closed": N_("Closed")}
