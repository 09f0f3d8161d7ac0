"""Sign-in through the organisation's identity provider (OpenID Connect).

Accounts get the provider's issuer and subject, stored at the first sign-in through
it (unique together: one account per person of the provider). ``sign_in_policy`` is
the administrator's one row of sign-in settings: whether the password form is
offered, and the e-mail domains whose people get an account at their first sign-in.

Revision ID: 0014_oidc
Revises: 0013_accessibility_feedback
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from cop.core.columns import UTCDateTime

revision: str = "0014_oidc"
down_revision: str | None = "0013_accessibility_feedback"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("oidc_issuer", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True)
        )
        batch_op.add_column(
            sa.Column("oidc_subject", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True)
        )
        batch_op.create_unique_constraint("uq_user_oidc_identity", ["oidc_issuer", "oidc_subject"])
    op.create_table(
        "sign_in_policy",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("deleted_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("password_form", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column(
            "oidc_domains",
            sqlmodel.sql.sqltypes.AutoString(length=2000),
            server_default="",
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_policy")),
    )


def downgrade() -> None:
    op.drop_table("sign_in_policy")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_constraint("uq_user_oidc_identity", type_="unique")
        batch_op.drop_column("oidc_subject")
        batch_op.drop_column("oidc_issuer")
