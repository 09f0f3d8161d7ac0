"""The published toolkit website: each publication's zip and the chapter revisions it shows.

Revision ID: 0009_published_site
Revises: 0008_notification_templates
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import cop.core.columns

revision: str = "0009_published_site"
down_revision: str | None = "0008_notification_templates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "published_site",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("toolkit_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("published_at", cop.core.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "published_by_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False
        ),
        sa.Column("chapters", sa.JSON(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("archive", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["toolkit_id"], ["toolkit.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_published_site_toolkit_id", "published_site", ["toolkit_id"])


def downgrade() -> None:
    op.drop_index("ix_published_site_toolkit_id", table_name="published_site")
    op.drop_table("published_site")
