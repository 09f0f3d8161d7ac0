"""Tags, themes and target groups: short labels kept once regardless of case, and what a filter compares.

Actions and practices both carry them, so the rule lives here rather than in either.
"""

from __future__ import annotations

import re
from typing import Any

from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.validation import Checker, searchable

TAG_MAX = 60
MAX_TAGS = 20


# What ``check_tags`` says about each kind of tag: the label of one, and the message for too many.
TAG_WORDS = {
    "tag": (N_("Each tag"), N_("At most {count} tags are allowed.")),
    "theme": (N_("Each theme"), N_("At most {count} themes are allowed.")),
    "target group": (N_("Each target group"), N_("At most {count} target groups are allowed.")),
}


def split_items(value: Any, separators: str) -> list[Any]:
    """A list from a list, or from text split on ``separators`` (forms send text).

    Items are passed on as they are (a number too, not stringified), so the
    caller's check refuses what is not text with a field message.
    """
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in re.split(separators, value) if part.strip()]
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def check_tags(chk: Checker, field: str, value: Any, label: str) -> list[str]:
    """Short single-line tags, each kept once regardless of case, in the order given.

    ``label`` names the kind of tag: "tag", "theme" or "target group" (``TAG_WORDS``).
    """
    each, too_many = TAG_WORDS[label]
    tags: list[str] = []
    keys: set[str] = set()
    for raw in split_items(value, r"[,\r\n]+"):
        tag = chk.title(field, raw, label=each, max_len=TAG_MAX)
        if tag and tag_key(tag) not in keys:
            keys.add(tag_key(tag))
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        chk.fail(field, Message(too_many, count=MAX_TAGS))
    return tags


def tag_key(tag: str) -> str:
    """What a filter compares: the case-folded tag, cut to the indexed length."""
    return searchable(tag.strip().casefold())[:TAG_MAX]
