"""correction requests and duplicate candidates reviewed: who, when, why

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("correction_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resolved_by", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("resolved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "resolution_note",
                sqlmodel.sql.sqltypes.AutoString(length=2000),
                nullable=False,
                server_default="",
            )
        )
        batch_op.create_index(
            batch_op.f("ix_correction_request_resolved_by"), ["resolved_by"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_correction_request_resolved_by_app_user",
            "app_user",
            ["resolved_by"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("duplicatecandidate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reviewed_by", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("reviewed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_duplicatecandidate_reviewed_by"), ["reviewed_by"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_duplicatecandidate_reviewed_by_app_user",
            "app_user",
            ["reviewed_by"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("duplicatecandidate", schema=None) as batch_op:
        batch_op.drop_constraint("fk_duplicatecandidate_reviewed_by_app_user", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_duplicatecandidate_reviewed_by"))
        batch_op.drop_column("reviewed_at")
        batch_op.drop_column("reviewed_by")

    with op.batch_alter_table("correction_request", schema=None) as batch_op:
        batch_op.drop_constraint("fk_correction_request_resolved_by_app_user", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_correction_request_resolved_by"))
        batch_op.drop_column("resolution_note")
        batch_op.drop_column("resolved_at")
        batch_op.drop_column("resolved_by")
