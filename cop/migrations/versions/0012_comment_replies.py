"""Replies to a chapter section's comments: a comment may answer another one.

``section_comment.parent_id`` names the comment a reply answers (none for a
comment on the section itself); removing a comment removes its replies.

Revision ID: 0012_comment_replies
Revises: 0011_outbox
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_comment_replies"
down_revision: str | None = "0011_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("section_comment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_section_comment_parent_id"), ["parent_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_section_comment_parent_id_section_comment"),
            "section_comment",
            ["parent_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("section_comment", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_section_comment_parent_id_section_comment"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_section_comment_parent_id"))
        batch_op.drop_column("parent_id")
