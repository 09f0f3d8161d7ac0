"""Workshops and visits: agenda, attendance, outcomes, attachments, and the simplest joint action.

Revision ID: 0002_workshops
Revises: 0001_core
"""

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401
from alembic import op  # noqa: F401

import cop.models.base  # noqa: F401

revision: str = "0002_workshops"
down_revision: str | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
