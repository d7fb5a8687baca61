"""how to apply, nidi gratis, correction requests

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 18:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "how_to_apply",
                sqlmodel.sql.sqltypes.AutoString(length=2000),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(sa.Column("nidi_gratis", sa.Boolean(), nullable=True))

    op.create_table(
        "correction_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("message", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("reporter_email", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("correction_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_correction_request_service_id"), ["service_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_correction_request_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("correction_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_correction_request_status"))
        batch_op.drop_index(batch_op.f("ix_correction_request_service_id"))

    op.drop_table("correction_request")

    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_column("nidi_gratis")
        batch_op.drop_column("how_to_apply")
