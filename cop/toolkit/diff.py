"""Two versions of a chapter compared as a reader sees them: rendered text, words marked.

Each section's Markdown goes through the safe renderer (cop.core.markdown) on
both sides; the rendered HTML is cut into tags and words, the words are compared
with difflib, and the result follows the newer text's structure: its tags are
kept, text only the newer side has is wrapped in ``<ins>``, text only the older
side had in ``<del>``. Text is escaped on its way out, and the whole result passes
the same allow-list sanitiser again, so the only markup the comparison adds is
``<ins>`` and ``<del>``.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

import nh3

from cop.core.markdown import ALLOWED_TAGS, SAFE_SCHEMES, to_html
from cop.export.markdown import escape

_TAG = re.compile(r"(<[^>]*>)")
_WORD = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)

CHANGED, UNCHANGED, ADDED, REMOVED = "changed", "unchanged", "added", "removed"


@dataclass(frozen=True)
class SectionText:
    """One section of one version: what identifies it across versions, its title and Markdown."""

    key: str
    title: str
    markdown: str


@dataclass(frozen=True)
class SectionChange:
    """A section as the comparison shows it: its title, what happened to it, and the marked text."""

    title: str
    status: str  # CHANGED, UNCHANGED, ADDED or REMOVED
    html: str  # sanitised HTML with <ins> and <del>; empty when unchanged


def _tokens(rendered: str) -> list[str]:
    """Tags stay whole (as the renderer wrote them); text becomes words, spaces and marks, unescaped."""
    tokens: list[str] = []
    for part in _TAG.split(rendered):
        if not part:
            continue
        if part.startswith("<"):
            tokens.append(part)
        else:
            tokens += _WORD.findall(html.unescape(part))
    return tokens


def _is_tag(token: str) -> bool:
    return token.startswith("<") and token.endswith(">")


def _marked(tokens: list[str], mark: str | None, keep_tags: bool) -> str:
    """``tokens`` as HTML: text escaped, runs of text wrapped in ``mark``.

    Tags are kept, or dropped with a space in their place (deleted list items and paragraphs
    would otherwise run into their neighbours' words). Spacing around a run stays unmarked.
    """
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        text = "".join(run)
        run.clear()
        core = text.strip()
        if mark is None or not core:  # spacing: the newer text's is kept, the older's dropped
            out.append(html.escape(text, quote=False) if mark != "del" else "")
            return
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        out.append(f"{lead}<{mark}>{html.escape(core, quote=False)}</{mark}>{trail}")

    for token in tokens:
        if not _is_tag(token):
            run.append(token)
        elif keep_tags:
            flush()
            out.append(token)
        elif run and not run[-1].isspace():
            run.append(" ")
    flush()
    return "".join(out)


def _clean(marked: str) -> str:
    return nh3.clean(
        marked,
        tags=ALLOWED_TAGS | {"ins", "del"},
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes=SAFE_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def marked_html(old_markdown: str, new_markdown: str) -> str:
    """The newer Markdown rendered, with what was added in ``<ins>`` and what went in ``<del>``."""
    old, new = _tokens(to_html(old_markdown)), _tokens(to_html(new_markdown))
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(_marked(new[j1:j2], None, keep_tags=True))
            continue
        if op in ("delete", "replace"):
            out.append(_marked(old[i1:i2], "del", keep_tags=False))
        if op in ("insert", "replace"):
            out.append(_marked(new[j1:j2], "ins", keep_tags=True))
    return _clean("".join(out))


def compare_sections(old: list[SectionText], new: list[SectionText]) -> list[SectionChange]:
    """Every section of either version, in the newer order (removed ones where they stood)."""
    older = {s.key: s for s in old}
    newer_keys = {s.key for s in new}
    changes: list[SectionChange] = []
    removed_before: dict[int, list[SectionText]] = {}
    for index, section in enumerate(old):
        if section.key not in newer_keys:
            following = [s.key for s in old[index + 1 :] if s.key in newer_keys]
            where = next((i for i, s in enumerate(new) if following and s.key == following[0]), -1)
            removed_before.setdefault(where, []).append(section)
    for index, section in enumerate(new):
        changes += [_removed(s) for s in removed_before.get(index, [])]
        before = older.get(section.key)
        if before is None:
            changes.append(SectionChange(section.title, ADDED, marked_html("", section.markdown)))
        elif before.markdown == section.markdown and before.title == section.title:
            changes.append(SectionChange(section.title, UNCHANGED, ""))
        else:
            body = marked_html(before.markdown, section.markdown)
            if before.title != section.title:  # a renamed section shows both names
                body = marked_html(escape(before.title), escape(section.title)) + body
            changes.append(SectionChange(section.title, CHANGED, body))
    changes += [_removed(s) for s in removed_before.get(-1, [])]
    return changes


def _removed(section: SectionText) -> SectionChange:
    rendered = _marked(_tokens(to_html(section.markdown)), "del", keep_tags=True)
    return SectionChange(section.title, REMOVED, _clean(rendered))
