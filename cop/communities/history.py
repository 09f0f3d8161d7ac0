"""How the history names communities, memberships, people and organisations.

Registered through cop/registry.py; ``cop.core.history`` turns the audit events
into sentences with these nouns and the admin forms' labels.
"""

from __future__ import annotations

from cop.core.history import Kind, Reference, register
from cop.core.i18n import N_

ROLES = {"facilitator": N_("Facilitator"), "member": N_("Member"), "observer": N_("Observer")}

register(
    "community",
    Kind(
        noun=N_("the community “{title}”"),
        title="name",
        fields={"name": N_("Name"), "theme": N_("Theme"), "visibility": N_("Visibility")},
    ),
)
register(
    "membership",
    Kind(
        noun=N_("the membership of {title} in “{parent}”"),
        title="person_id",
        parent=("community_id", "community"),
        fields={"role": N_("Role")},
        references={"person_id": Reference("person")},
        choices={"role": ROLES},
    ),
)
register(
    "person",
    Kind(
        noun=N_("the person “{title}”"),
        title="name",
        fields={"name": N_("Name"), "organisation_id": N_("Organisation")},
        references={"organisation_id": Reference("organisation")},
    ),
)
register(
    "organisation",
    Kind(noun=N_("the organisation “{title}”"), title="name", fields={"name": N_("Name")}),
)
