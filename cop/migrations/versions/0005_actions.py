"""Joint actions enriched: co-owners, partners, milestones, indicators, updates, sub-actions.

Revision ID: 0005_actions
Revises: 0004_accounts

The action table of 0002 gains its new columns in batch mode (SQLite copies
the table); the NOT NULL ones arrive with a server default so existing rows
get a value, which is dropped again afterwards because the application
always writes them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import cop.core.columns

revision: str = "0005_actions"
down_revision: str | None = "0004_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NEW_INDEXES = ("organisation_id", "parent_id")
# Covering indexes for the lists, the board and their counts (see cop/actions/models.py).
_LIST_INDEXES = {
    "ix_action_due_date": ["due_date", "status", "community_id", "deleted_at"],
    "ix_action_status_due_date": ["status", "due_date", "community_id", "deleted_at"],
}
# Column -> server default that fills the rows already there.
_FILLED = {
    "objective": ("objective", sa.Text(), sa.text("''")),
    "progress_mode": (
        "progress_mode",
        sqlmodel.sql.sqltypes.AutoString(length=16),
        sa.text("'status'"),
    ),
    "priority": ("priority", sqlmodel.sql.sqltypes.AutoString(length=16), sa.text("'normal'")),
    "tags": ("tags", sa.JSON(), sa.text("'[]'")),
}


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


def _action_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["action_id"], ["action.id"], name=op.f(f"fk_{table}_action_id_action"), ondelete="CASCADE"
    )


def upgrade() -> None:
    with op.batch_alter_table("action", schema=None) as batch_op:
        for name, kind, default in _FILLED.values():
            batch_op.add_column(sa.Column(name, kind, nullable=False, server_default=default))
        batch_op.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("start_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_action_organisation_id_organisation"),
            "organisation",
            ["organisation_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_action_parent_id_action"),
            "action",
            ["parent_id"],
            ["id"],
            ondelete="SET NULL",
        )
        for column in _NEW_INDEXES:
            batch_op.create_index(batch_op.f(f"ix_action_{column}"), [column], unique=False)
        for name, columns in _LIST_INDEXES.items():
            batch_op.create_index(name, columns, unique=False)
    with op.batch_alter_table("action", schema=None) as batch_op:
        for name, kind, _default in _FILLED.values():
            batch_op.alter_column(
                name, existing_type=kind, existing_nullable=False, server_default=None
            )

    op.create_table(
        "action_co_owner",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        _action_fk("action_co_owner"),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_action_co_owner_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("action_id", "person_id", name=op.f("pk_action_co_owner")),
    )
    with op.batch_alter_table("action_co_owner", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_co_owner_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "action_partner",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        _action_fk("action_partner"),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_action_partner_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("action_id", "organisation_id", name=op.f("pk_action_partner")),
    )
    with op.batch_alter_table("action_partner", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_partner_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "action_tag",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        _action_fk("action_tag"),
        sa.PrimaryKeyConstraint("action_id", "key", name=op.f("pk_action_tag")),
    )
    with op.batch_alter_table("action_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_tag_key"), ["key"], unique=False)

    op.create_table(
        "action_milestone",
        *_editable_columns(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _action_fk("action_milestone"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_milestone")),
    )
    with op.batch_alter_table("action_milestone", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_milestone_action_id"), ["action_id"], unique=False
        )

    op.create_table(
        "action_indicator",
        *_editable_columns(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("current", sa.Float(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        _action_fk("action_indicator"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_indicator")),
    )
    with op.batch_alter_table("action_indicator", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_indicator_action_id"), ["action_id"], unique=False
        )

    op.create_table(
        "action_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("posted_at", cop.core.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("author_person_id", sa.Integer(), nullable=True),
        sa.Column("author_user_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("new_status", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("new_progress", sa.Integer(), nullable=True),
        _action_fk("action_update"),
        sa.ForeignKeyConstraint(
            ["author_person_id"],
            ["person.id"],
            name=op.f("fk_action_update_author_person_id_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_update")),
    )
    with op.batch_alter_table("action_update", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_update_action_id"), ["action_id"], unique=False)


def downgrade() -> None:
    for table in ("action_update", "action_indicator", "action_milestone"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_action_id"))
        op.drop_table(table)
    with op.batch_alter_table("action_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_tag_key"))
    op.drop_table("action_tag")
    with op.batch_alter_table("action_partner", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_partner_organisation_id"))
    op.drop_table("action_partner")
    with op.batch_alter_table("action_co_owner", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_co_owner_person_id"))
    op.drop_table("action_co_owner")
    with op.batch_alter_table("action", schema=None) as batch_op:
        for name in _LIST_INDEXES:
            batch_op.drop_index(name)
        for column in _NEW_INDEXES:
            batch_op.drop_index(batch_op.f(f"ix_action_{column}"))
        batch_op.drop_constraint(batch_op.f("fk_action_parent_id_action"), type_="foreignkey")
        batch_op.drop_constraint(
            batch_op.f("fk_action_organisation_id_organisation"), type_="foreignkey"
        )
        for name in ("parent_id", "start_date", "organisation_id", *_FILLED):
            batch_op.drop_column(name)
