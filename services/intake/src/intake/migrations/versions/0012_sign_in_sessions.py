"""Sessions of the built-in issuer (revocation) and login lockouts (issue 12).

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

from hotline_common.db import UTCDateTime

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    with op.batch_alter_table("staff_accounts") as batch:
        batch.add_column(sa.Column("sessions_not_before", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("locked_until", UTCDateTime(), nullable=True))
    op.create_table(
        "sign_in_sessions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("account_id", sa.String(36), nullable=False),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("ended_why", sa.String(30), nullable=True),
    )
    op.create_index("ix_sign_in_sessions_account", "sign_in_sessions", ["account_id"])
    op.create_index("ix_sign_in_sessions_ended", "sign_in_sessions", ["ended_at"])


def downgrade() -> None:
    op.drop_table("sign_in_sessions")
    with op.batch_alter_table("staff_accounts") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("sessions_not_before")
