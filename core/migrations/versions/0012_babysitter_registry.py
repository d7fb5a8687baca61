"""babysitter registry: status, certifications with expiry, consent, decisions, proposals

The babysitters already in the database came from the provincial registry files, which
list approved people: each gets an approved entry (no certification dates yet: the next
import of its sheet brings them), and an outbox entry so the index learns the registry
fields.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DATE_COLUMNS = (
    "registry_course_on",
    "registry_course_expires_on",
    "first_aid_on",
    "first_aid_expires_on",
)


def upgrade() -> None:
    op.create_table(
        "registry_entry",
        sa.Column("service_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        *(sa.Column(name, sa.Date(), nullable=True) for name in DATE_COLUMNS),
        sa.Column("publication_consent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("decision_note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        *(sa.Column(f"proposed_{name}", sa.Date(), nullable=True) for name in DATE_COLUMNS),
        sa.Column("proposed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["decided_by"], ["app_user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("service_id"),
    )
    op.create_index(
        op.f("ix_registry_entry_decided_by"), "registry_entry", ["decided_by"], unique=False
    )
    op.create_index(op.f("ix_registry_entry_status"), "registry_entry", ["status"], unique=False)
    op.execute(
        "INSERT INTO registry_entry (service_id, status, decision_note, publication_consent_at,"
        " created_at, updated_at)"
        " SELECT id, 'approved', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP"
        " FROM service WHERE kind = 'babysitter'"
    )
    op.execute(
        "INSERT INTO outbox (service_id, created_at)"
        " SELECT id, CURRENT_TIMESTAMP FROM service WHERE kind = 'babysitter'"
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_registry_entry_status"), table_name="registry_entry")
    op.drop_index(op.f("ix_registry_entry_decided_by"), table_name="registry_entry")
    op.drop_table("registry_entry")
