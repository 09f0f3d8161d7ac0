"""Feedback on accessibility from the statement page (issue 23).

Revision ID: 0013_accessibility_feedback
Revises: 0012_comment_replies
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from cop.core.columns import UTCDateTime

revision: str = "0013_accessibility_feedback"
down_revision: str | None = "0012_comment_replies"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "accessibility_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("where", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("accessibility_feedback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_accessibility_feedback_created_at"), ["created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("accessibility_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accessibility_feedback_created_at"))
    op.drop_table("accessibility_feedback")
