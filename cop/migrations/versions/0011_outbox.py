"""The outbox: every e-mail as a row; each person's choice of e-mail delivery.

Notifications get ``emailed_at`` (set when one went into the outbox, alone or
in a digest, so it is e-mailed once); rows written before count as handled, so
the first digest after the upgrade does not send the whole past. Accounts get
``email_delivery`` (immediate, daily, weekly or off), weekly as the weekly
digest was before.

Revision ID: 0011_outbox
Revises: 0010_calendar_feed
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from cop.core.columns import UTCDateTime

revision: str = "0011_outbox"
down_revision: str | None = "0010_calendar_feed"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("to_address", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=True),
        sa.Column("parts", sa.JSON(), nullable=False, server_default="[]"),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("claimed_until", UTCDateTime(timezone=True), nullable=True),
        sa.Column("sent_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("failed_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_message_next_attempt_at"), ["next_attempt_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_outbox_message_sent_at"), ["sent_at"], unique=False)
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("emailed_at", UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE notification SET emailed_at = created_at")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "email_delivery",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="weekly",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("email_delivery")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_column("emailed_at")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_message_sent_at"))
        batch_op.drop_index(batch_op.f("ix_outbox_message_next_attempt_at"))
    op.drop_table("outbox_message")
