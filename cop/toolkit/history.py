"""How the history names toolkit editions, chapters, sections, revisions and comments.

Registered through cop/registry.py; ``cop.core.history`` turns the audit events
into sentences with these nouns and the forms' labels.
"""

from __future__ import annotations

from cop.core.history import Kind, register
from cop.core.i18n import N_

CHAPTER_STATUS = {"draft": N_("Draft"), "in_review": N_("In review"), "approved": N_("Approved")}

register("toolkit", Kind(noun=N_("the toolkit “{title}”"), page="toolkit"))
register(
    "chapter",
    Kind(
        noun=N_("the chapter “{title}”"),
        page="toolkit",
        fields={"title": N_("Title"), "status": N_("Status")},
        choices={"status": CHAPTER_STATUS},
    ),
)
register(
    "section",
    Kind(
        noun=N_("the section “{title}” of the chapter “{parent}”"),
        parent=("chapter_id", "chapter"),
        fields={"title": N_("Title"), "body": N_("Text")},
    ),
)
register(
    "chapter_revision",
    Kind(
        noun=N_("revision {title} of the chapter “{parent}”"),
        title="number",
        parent=("chapter_id", "chapter"),
    ),
)
register(
    "section_comment",
    Kind(
        noun=N_("a comment on the section “{parent}”"),
        title="text",
        parent=("section_id", "section"),
    ),
)
