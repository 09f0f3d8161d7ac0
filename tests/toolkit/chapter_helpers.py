"""What the toolkit page tests share: the demo's welcoming-culture chapter (English edition) and its sections."""

from __future__ import annotations

from sqlmodel import col, select
from streamlit.testing.v1 import AppTest

from cop.communities.models import Community
from cop.core.db import read_session
from cop.toolkit.models import Chapter, Section, Toolkit
from tests.page_fixtures import markdown_editors


def welcoming_chapter(language: str = "en") -> Chapter:
    """The welcoming-culture chapter of the demo's edition in ``language``."""
    with read_session() as session:
        community = session.exec(
            select(Community).where(Community.slug == "welcoming-culture")
        ).one()
        return session.exec(
            select(Chapter)
            .join(Toolkit, col(Toolkit.id) == Chapter.toolkit_id)
            .where(Chapter.community_id == community.id, Toolkit.language == language)
        ).one()


def chapter_sections(chapter: Chapter) -> list[Section]:
    """The chapter's live sections in their order."""
    with read_session() as session:
        return list(
            session.exec(
                select(Section)
                .where(Section.chapter_id == chapter.id, Section.deleted_at.is_(None))  # type: ignore[union-attr]
                .order_by(Section.position)
            )
        )


def editors(at) -> list[str]:  # noqa: ANN001
    """The keys of the section editors drawn (the comment boxes are text areas too)."""
    return sorted(k for k in markdown_editors(at) if k.startswith("body-"))


def open_chapter_tab(at: AppTest, name: str) -> AppTest:
    """Open the chapter's ``name`` tab (only the open tab is drawn), as a click on it would."""
    from cop.toolkit.ui.chapter import TAB_KEY

    kind = "draft" if "Draft" in [t.label for t in at.tabs] else "approved"
    at.session_state[f"{TAB_KEY}-{kind}"] = name
    return at.run()
