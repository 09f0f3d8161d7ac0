"""A draft section's comments, drawn beside it: one block to read, the forms on demand.

The comments and their replies are one Markdown block (each comment's writer and time,
then its text through the safe renderer; replies under the comment they answer). Writing
happens in two popovers drawn only once opened (issue 24: a closed form with its editor
cost every section a dozen elements on every run): "Add a comment", and, while a comment
is open, "Reply or resolve" with each open comment's Resolve button and reply form.
"""

from __future__ import annotations

import streamlit as st

from cop.core.i18n import translator
from cop.core.permissions import Actor, is_allowed
from cop.shell.formatting import local_time
from cop.shell.forms import clear_form, errors_banner, field_error, submit, widget_key
from cop.shell.lazy import lazy_popover
from cop.shell.markdown_editor.mentions import mention_editor
from cop.shell.text import MarkdownBlock, plain
from cop.toolkit import sections as toolkit_sections
from cop.toolkit.models import Section
from cop.toolkit.service import ChapterDetail

Comment = toolkit_sections.ChapterComment
QUOTED_CHARS = 80  # how much of an open comment the reply form quotes, to say which it answers


def section_comments(
    actor: Actor, detail: ChapterDetail, section: Section, comments: list[Comment]
) -> None:
    """The section's comments, open ones first, each with its replies, and a way to add one."""
    may_comment = is_allowed(actor, "chapter.comment", detail.community)
    community_id = detail.community.id
    assert community_id is not None  # a stored chapter's community
    if comments:
        comments_block(actor, comments).draw()
    if not may_comment:
        return
    _add_comment(actor, section, community_id)
    waiting = [c for c in comments if c.parent_id is None and not c.resolved]
    if waiting:
        _reply_or_resolve(actor, section, community_id, waiting)


def comments_block(actor: Actor, comments: list[Comment]) -> MarkdownBlock:
    """Every comment with its replies under it, as one block of text."""
    _ = translator(actor.language)
    open_count = sum(1 for c in comments if not c.resolved and c.parent_id is None)
    block = MarkdownBlock()
    block.markdown("**" + plain(_("Comments ({open} open)").format(open=open_count)) + "**")
    replies: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id is not None:
            replies.setdefault(comment.parent_id, []).append(comment)
    for comment in comments:
        if comment.parent_id is not None:
            continue
        with block.box():
            block.caption(_meta(actor, comment))
            block.markdown(comment.text)
            for reply in replies.get(comment.id, []):
                block.caption("↳ " + _("Reply") + " · " + _meta(actor, reply))
                block.markdown(reply.text)
    return block


def _meta(actor: Actor, comment: Comment) -> str:
    """Who wrote it and when (plain text: the block escapes it)."""
    _ = translator(actor.language)
    when = local_time(comment.created_at, actor.time_zone, language=actor.language)
    return f"{comment.author} · {when}" + (" · " + _("resolved") if comment.resolved else "")


def _add_comment(actor: Actor, section: Section, community_id: int) -> None:
    _ = translator(actor.language)
    key = f"comment-new-{section.id}"
    errors_banner(key, actor.language)
    panel = lazy_popover(
        _("Add a comment"), f"{key}-open", icon=":material/add_comment:", stay=True, wrap=True
    )
    if panel is not None:
        with panel:
            _comment_form(actor, section, community_id, key, None)


def _reply_or_resolve(
    actor: Actor, section: Section, community_id: int, waiting: list[Comment]
) -> None:
    _ = translator(actor.language)
    for comment in waiting:  # a refused reply says so where the popover opens
        errors_banner(f"comment-reply-{comment.id}", actor.language)
    panel = lazy_popover(
        _("Reply or resolve"),
        f"comments-{section.id}-open",
        icon=":material/reply:",
        stay=True,
        wrap=True,  # beside the text the column is narrow: the label may take two lines
    )
    if panel is None:
        return
    with panel:
        for number, comment in enumerate(waiting):
            if number:
                st.divider()
            quoted = " ".join(comment.text.split())
            if len(quoted) > QUOTED_CHARS:
                quoted = quoted[: QUOTED_CHARS - 1] + "…"
            st.markdown(f"**{plain(comment.author)}:** {plain(quoted)}")
            if st.button(
                _("Resolve"),
                key=f"resolve-{comment.id}",
                icon=":material/check:",
                help=_("Mark this comment as dealt with"),
            ):
                if submit(
                    f"comment-{comment.id}",
                    toolkit_sections.resolve_comment,
                    actor,
                    comment.id,
                    comment.version,
                    reader_language=actor.language,
                ):
                    st.rerun()
            _comment_form(actor, section, community_id, f"comment-reply-{comment.id}", comment.id)


def _comment_form(
    actor: Actor, section: Section, community_id: int, key: str, reply_to: int | None
) -> None:
    _ = translator(actor.language)
    label = _("Add a comment") if reply_to is None else _("Reply")
    with st.form(key):  # kept after a refusal, emptied after a save
        text = mention_editor(actor, label, community_id, key=widget_key(key, "text"), height=100)
        field_error(key, "text", actor.language)
        field_error(key, "reply_to", actor.language)
        if st.form_submit_button(
            _("Comment") if reply_to is None else _("Send reply"), icon=":material/send:"
        ):
            if submit(
                key,
                toolkit_sections.add_comment,
                actor,
                section.id,
                text,
                reply_to=reply_to,
                reader_language=actor.language,
            ):
                clear_form(key)
                st.rerun()
