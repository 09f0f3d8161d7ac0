"""Workshops and visits: agenda, attendance, outcomes, attachments, and the simplest joint action.

Revision ID: 0002_workshops
Revises: 0001_core
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import cop.core.columns

revision: str = "0002_workshops"
down_revision: str | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _editable_columns() -> list[sa.Column]:
    """The columns of ``cop.core.columns.Editable``, first in every editable table."""
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", cop.core.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", cop.core.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("deleted_at", cop.core.columns.UTCDateTime(timezone=True), nullable=True),
    ]


def _workshop_child(table: str) -> list:
    """The id and the cascading workshop key every workshop part carries."""
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshop.id"],
            name=op.f(f"fk_{table}_workshop_id_workshop"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "workshop",
        *_editable_columns(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("format", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("meeting_link", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("starts_at", cop.core.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", cop.core.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("time_zone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("host_organisation_id", sa.Integer(), nullable=True),
        sa.Column("objectives", sa.Text(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.Column("closing_report", sa.Text(), nullable=False),
        sa.Column("facilitator_ids", sa.JSON(), nullable=False),
        sa.Column("closed_at", cop.core.columns.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
            name=op.f("fk_workshop_community_id_community"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["host_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_workshop_host_organisation_id_organisation"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop")),
    )
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.create_index(
            "ix_workshop_community_live",
            [
                "community_id",
                "deleted_at",
                "status",
                "kind",
                "format",
                "host_organisation_id",
                "starts_at",
            ],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_workshop_host_organisation_id"), ["host_organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_workshop_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "agenda_item",
        *_editable_columns(),
        *_workshop_child("agenda_item"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("presenter", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    )
    op.create_table(
        "attachment",
        *_editable_columns(),
        *_workshop_child("attachment"),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("original_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("content_type", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("caption", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("shows_people", sa.Boolean(), nullable=False),
        sa.Column("consent_confirmed", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "attendance",
        *_editable_columns(),
        *_workshop_child("attendance"),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("guest_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column(
            "guest_organisation", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False
        ),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_attendance_person_id_person"),
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("workshop_id", "person_id", name="uq_attendance_workshop_person"),
    )
    op.create_table(
        "outcome",
        *_editable_columns(),
        *_workshop_child("outcome"),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )
    for table in ("agenda_item", "attachment", "attendance", "outcome"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(
                batch_op.f(f"ix_{table}_workshop_id"), ["workshop_id"], unique=False
            )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attendance_person_id"), ["person_id"], unique=False)

    op.create_table(
        "action",
        *_editable_columns(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("owner_person_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=True),
        sa.Column("outcome_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
            name=op.f("fk_action_community_id_community"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["outcome.id"],
            name=op.f("fk_action_outcome_id_outcome"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_person_id"], ["person.id"], name=op.f("fk_action_owner_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshop.id"],
            name=op.f("fk_action_workshop_id_workshop"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action")),
    )
    with op.batch_alter_table("action", schema=None) as batch_op:
        for column in ("community_id", "outcome_id", "owner_person_id", "workshop_id"):
            batch_op.create_index(batch_op.f(f"ix_action_{column}"), [column], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("action", schema=None) as batch_op:
        for column in ("community_id", "outcome_id", "owner_person_id", "workshop_id"):
            batch_op.drop_index(batch_op.f(f"ix_action_{column}"))
    op.drop_table("action")
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_person_id"))
    for table in ("outcome", "attendance", "attachment", "agenda_item"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_workshop_id"))
        op.drop_table(table)
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshop_starts_at"))
        batch_op.drop_index(batch_op.f("ix_workshop_host_organisation_id"))
        batch_op.drop_index("ix_workshop_community_live")
    op.drop_table("workshop")
