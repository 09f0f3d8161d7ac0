"""The Toolkit page's "Published website" panel: what is online, and the publish buttons.

An admin publishes the edition; a facilitator publishes their own chapter once a newer
revision is approved. Building takes a few seconds, shown as a status that ends with
the new version online.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from cop.communities import service as communities
from cop.core.errors import CopError
from cop.core.i18n import translator
from cop.core.permissions import Actor, is_allowed
from cop.publishing import service as publishing
from cop.publishing.web import PREFIX
from cop.shell.cache import cached_read
from cop.shell.formatting import local_time
from cop.shell.forms import error_text, read
from cop.shell.text import plain
from cop.toolkit.models import Toolkit
from cop.toolkit.service import ChapterRow


def _publish(actor: Actor, edition: Toolkit, chapter_id: Any, label: str) -> None:
    _ = translator(actor.language)
    with st.status(_("Building the website…"), expanded=True) as status:
        try:
            done = publishing.publish(
                actor,
                edition.id,
                chapter_id=chapter_id,
                on_wait=lambda message: status.update(label=_(message)),
            )
        except CopError as exc:
            status.update(label=plain(error_text(exc, actor.language)), state="error")
            return
        status.update(
            label=_("Version {number} is online ({what}).").format(number=done.number, what=label),
            state="complete",
            expanded=False,
        )


def published_panel(actor: Actor, edition: Toolkit, chapters: list[ChapterRow]) -> None:
    """What is online, links to it, and the publish button(s) the actor may use."""
    _ = translator(actor.language)
    online = read(publishing.latest_publication, edition.id, reader_language=actor.language)
    with st.expander(_("Published website"), icon=":material/public:"):
        if online is None:
            st.caption(
                _("Not published yet: the website shows the approved chapters once published.")
            )
        else:
            st.caption(
                _("Online: version {number}, published {when} by {who}; {pages} pages.").format(
                    number=online.number,
                    when=local_time(online.published_at, actor.time_zone, language=actor.language),
                    who=plain(online.published_by) or _("someone"),
                    pages=online.pages,
                )
            )
            # Below Streamlit's base path when the app is served under one (serve.py mounts it).
            base = (
                "/" + st.get_option("server.baseUrlPath").strip("/")
                if st.get_option("server.baseUrlPath").strip("/")
                else ""
            )
            left, right = st.columns(2)
            left.link_button(
                _("Open the website"),
                f"{base}{PREFIX}/{edition.id}/index.html",
                icon=":material/open_in_new:",
            )
            right.link_button(
                _("Download the website (.zip)"),
                f"{base}{PREFIX}/{edition.id}.zip",
                icon=":material/download:",
            )
            behind = [
                c.title
                for c in chapters
                if c.approved_number and online.chapters.get(str(c.id), 0) < c.approved_number
            ]
            if behind:
                st.info(
                    _("Approved since it was published: {titles}.").format(
                        titles=plain("; ".join(behind))
                    ),
                    icon=":material/update:",
                )
        if is_allowed(actor, "toolkit.publish"):
            if st.button(
                _("Publish the edition"), key="publish-edition", icon=":material/publish:"
            ):
                _publish(actor, edition, None, _("the edition"))
            return
        visible = {
            c.id: c for c in cached_read(communities.visible_communities, actor, journal=False)
        }
        for chapter in chapters:
            community = visible.get(chapter.community_id)
            if community is None or not is_allowed(actor, "chapter.publish", community):
                continue
            if not chapter.approved_number:
                st.caption(
                    _("{chapter} can be published once a revision is approved.").format(
                        chapter=plain(chapter.title)
                    )
                )
                continue
            if st.button(
                _("Publish {chapter}").format(chapter=plain(chapter.title)),
                key=f"publish-chapter-{chapter.id}",
                icon=":material/publish:",
            ):
                _publish(actor, edition, chapter.id, plain(chapter.title))
