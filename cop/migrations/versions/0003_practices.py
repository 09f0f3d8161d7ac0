"""Practices, standards and city self-assessments.

Revision ID: 0003_practices
Revises: 0002_workshops
"""

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401
from alembic import op  # noqa: F401

import cop.models.base  # noqa: F401

revision: str = "0003_practices"
down_revision: str | None = "0002_workshops"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
