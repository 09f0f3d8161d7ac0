"""Account invitations and onboarding.

Revision ID: 0004_accounts
Revises: 0003_practices
"""

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401
from alembic import op  # noqa: F401

import cop.models.base  # noqa: F401

revision: str = "0004_accounts"
down_revision: str | None = "0003_practices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
