"""Issue 17 item 14 in the toolkit: a parent's rolled-up percentage says where it comes from.

The app's detail, table and board wrote "10 % (from 3 sub-actions)"; the chapter's Joint
actions table (and so every export and the published site) wrote a bare "10 %", which a
reader takes for a posted value.
"""

from __future__ import annotations

from sqlmodel import select

from cop.actions.models import Action
from cop.communities.models import Community
from cop.core.db import read_session
from cop.core.permissions import SYSTEM
from cop.export.document import Table
from cop.toolkit.blocks import record_blocks
from cop.toolkit.models import Section, SectionKind
from tests.factories import ZAGREB, zagreb_split_after_65_posted


def _actions_table(language: str) -> Table:
    with read_session() as session:
        zagreb = session.exec(select(Action).where(Action.title == ZAGREB)).one()
        community = session.get(Community, zagreb.community_id)
        assert community is not None
        section = Section(chapter_id=0, kind=SectionKind.ACTIONS_SUMMARY, title="Joint actions")
        blocks = record_blocks(session, SYSTEM, community, section, language=language)
    return next(b for b in blocks if isinstance(b, Table))


def test_a_rolled_up_percentage_in_the_chapters_actions_table_names_its_sub_actions(
    demo_db: str,
) -> None:
    zagreb_split_after_65_posted()
    rows = {row[0]: row[-1] for row in _actions_table("en").rows}
    assert rows[ZAGREB] == "10 % (from 3 sub-actions)"
    assert rows["Zagreb district step 0"] == "10 %"  # set by its status: nothing to explain
    german = {row[0]: row[-1] for row in _actions_table("de").rows}
    assert german[ZAGREB] == "10 % (aus 3 Unteraktionen)"
