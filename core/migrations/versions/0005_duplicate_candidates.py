"""duplicate candidates

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 16:47:04.773077
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "duplicatecandidate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("other_service_id", sa.Integer(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=False),
        sa.Column("name_similarity", sa.Float(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["other_service_id"],
            ["service.id"],
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("service_id", "other_service_id", name="uq_duplicate_pair"),
    )
    with op.batch_alter_table("duplicatecandidate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_duplicatecandidate_other_service_id"), ["other_service_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_duplicatecandidate_service_id"), ["service_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("duplicatecandidate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duplicatecandidate_service_id"))
        batch_op.drop_index(batch_op.f("ix_duplicatecandidate_other_service_id"))

    op.drop_table("duplicatecandidate")
