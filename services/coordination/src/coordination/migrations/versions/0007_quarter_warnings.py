"""Quarters already warned about (no meeting scheduled, few weeks left): one warning per quarter.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from hotline_common.db import UTCDateTime

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    op.create_table(
        "wg_quarter_warnings",
        sa.Column("quarter", sa.String(10), primary_key=True),
        sa.Column("days_left", sa.Integer, nullable=False),
        sa.Column("warned_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("wg_quarter_warnings")
