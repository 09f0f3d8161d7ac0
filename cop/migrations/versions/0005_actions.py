"""Joint actions enriched: co-owners, partners, milestones, indicators, updates, sub-actions.

Revision ID: 0005_actions
Revises: 0004_accounts
"""

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401
from alembic import op  # noqa: F401

import cop.models.base  # noqa: F401

revision: str = "0005_actions"
down_revision: str | None = "0004_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
