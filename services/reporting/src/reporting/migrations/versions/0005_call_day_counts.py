"""Daily counts of calls per dimension, refreshed for the days that changed (fast period reports).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_table(
        "call_day_counts",
        sa.Column("local_date", sa.String(10), primary_key=True),
        sa.Column("dimension", sa.String(30), primary_key=True),
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.create_table(
        "call_days_changed",
        sa.Column("local_date", sa.String(10), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    )
    # Every day already projected is counted on first use.
    op.execute("INSERT INTO call_days_changed (local_date) SELECT DISTINCT local_date FROM call_facts")


def downgrade() -> None:
    op.drop_table("call_days_changed")
    op.drop_table("call_day_counts")
