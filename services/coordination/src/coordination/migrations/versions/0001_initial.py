"""Working Group members, meetings, and the event tables.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

from hotline_common.db import UTCDateTime
from hotline_common.events.schema import create_event_tables, drop_event_tables

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "wg_members",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("body", sa.String(300), nullable=False),
        sa.Column("body_kind", sa.String(30), nullable=False),
        sa.Column("is_head", sa.Boolean, nullable=False),
        sa.Column("approved_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "wg_meetings",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("scheduled_for", UTCDateTime, nullable=False),
        sa.Column("place", sa.String(300), nullable=False),
        sa.Column("online", sa.Boolean, nullable=False),
        sa.Column("agenda", sa.JSON, nullable=False),
        sa.Column("quarter", sa.String(10), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_wg_meetings_scheduled_for", "wg_meetings", ["scheduled_for"])
    op.create_index("ix_wg_meetings_quarter", "wg_meetings", ["quarter"])
    create_event_tables(op)


def downgrade() -> None:
    drop_event_tables(op)
    op.drop_table("wg_meetings")
    op.drop_table("wg_members")
