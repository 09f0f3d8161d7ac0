"""Practices, standards and city self-assessments.

Revision ID: 0003_practices
Revises: 0002_workshops
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import cop.core.columns

revision: str = "0003_practices"
down_revision: str | None = "0002_workshops"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "practice",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", cop.core.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", cop.core.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("deleted_at", cop.core.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("is_regular_service", sa.Boolean(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("challenge", sa.Text(), nullable=False),
        sa.Column("goals", sa.Text(), nullable=False),
        sa.Column("how_it_works", sa.Text(), nullable=False),
        sa.Column("results", sa.Text(), nullable=False),
        sa.Column("evaluation", sa.Text(), nullable=False),
        sa.Column("beneficiaries", sa.Text(), nullable=False),
        sa.Column("people_reached", sa.Integer(), nullable=True),
        sa.Column("funding", sa.Text(), nullable=False),
        sa.Column("continues", sa.Boolean(), nullable=True),
        sa.Column("continuation_funding", sa.Text(), nullable=False),
        sa.Column("transfer_needs", sa.Text(), nullable=False),
        sa.Column("volunteers_role", sa.Text(), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("target_groups", sa.JSON(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("review_note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
            name=op.f("fk_practice_community_id_community"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_practice_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice")),
    )
    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_community_id"), ["community_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_practice_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_practice_status"), ["status"], unique=False)

    op.create_table(
        "standard",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", cop.core.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", cop.core.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("deleted_at", cop.core.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("success_factors", sa.Text(), nullable=False),
        sa.Column("guiding_questions", sa.Text(), nullable=False),
        sa.Column("indicators", sa.Text(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("review_note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
            name=op.f("fk_standard_community_id_community"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standard")),
    )
    with op.batch_alter_table("standard", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_standard_community_id"), ["community_id"], unique=False
        )

    op.create_table(
        "practice_image",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", cop.core.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", cop.core.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("deleted_at", cop.core.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("content_type", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("alt_text", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("credit", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
            name=op.f("fk_practice_image_practice_id_practice"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_image")),
    )
    with op.batch_alter_table("practice_image", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_image_practice_id"), ["practice_id"], unique=False
        )

    op.create_table(
        "practice_organisation",
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_practice_organisation_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
            name=op.f("fk_practice_organisation_practice_id_practice"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "practice_id", "organisation_id", name=op.f("pk_practice_organisation")
        ),
    )
    with op.batch_alter_table("practice_organisation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_organisation_organisation_id"),
            ["organisation_id"],
            unique=False,
        )

    op.create_table(
        "practice_tag",
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
            name=op.f("fk_practice_tag_practice_id_practice"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("practice_id", "kind", "key", name=op.f("pk_practice_tag")),
    )
    with op.batch_alter_table("practice_tag", schema=None) as batch_op:
        batch_op.create_index("ix_practice_tag_kind_key", ["kind", "key"], unique=False)

    op.create_table(
        "practice_workshop",
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
            name=op.f("fk_practice_workshop_practice_id_practice"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshop.id"],
            name=op.f("fk_practice_workshop_workshop_id_workshop"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("practice_id", "workshop_id", name=op.f("pk_practice_workshop")),
    )
    with op.batch_alter_table("practice_workshop", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_workshop_workshop_id"), ["workshop_id"], unique=False
        )

    op.create_table(
        "self_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("standard_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("shared_beyond_community", sa.Boolean(), nullable=False),
        sa.Column("created_at", cop.core.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("score BETWEEN 0 AND 4", name=op.f("ck_self_assessment_score_range")),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
            name=op.f("fk_self_assessment_community_id_community"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_self_assessment_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["standard_id"],
            ["standard.id"],
            name=op.f("fk_self_assessment_standard_id_standard"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_assessment")),
    )
    with op.batch_alter_table("self_assessment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_self_assessment_community_id"), ["community_id"], unique=False
        )
        batch_op.create_index(
            "ix_self_assessment_latest",
            ["standard_id", "organisation_id", "assessed_on"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_self_assessment_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("self_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_self_assessment_organisation_id"))
        batch_op.drop_index("ix_self_assessment_latest")
        batch_op.drop_index(batch_op.f("ix_self_assessment_community_id"))

    op.drop_table("self_assessment")
    with op.batch_alter_table("practice_workshop", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_workshop_workshop_id"))

    op.drop_table("practice_workshop")
    with op.batch_alter_table("practice_tag", schema=None) as batch_op:
        batch_op.drop_index("ix_practice_tag_kind_key")

    op.drop_table("practice_tag")
    with op.batch_alter_table("practice_organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_organisation_organisation_id"))

    op.drop_table("practice_organisation")
    with op.batch_alter_table("practice_image", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_image_practice_id"))

    op.drop_table("practice_image")
    with op.batch_alter_table("standard", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_standard_community_id"))

    op.drop_table("standard")
    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_status"))
        batch_op.drop_index(batch_op.f("ix_practice_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_practice_community_id"))

    op.drop_table("practice")
