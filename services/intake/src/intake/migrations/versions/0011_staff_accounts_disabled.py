"""A staff account can be disabled by the director (kept, never deleted: the audit names it).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

from hotline_common.db import UTCDateTime

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    with op.batch_alter_table("staff_accounts") as batch:
        batch.add_column(sa.Column("disabled_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_accounts") as batch:
        batch.drop_column("disabled_at")
