"""Fact tables for calls, referrals and meetings, and the event tables.

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
        "call_facts",
        sa.Column("contact_id", sa.String(36), primary_key=True),
        sa.Column("line", sa.String(20), nullable=False),
        sa.Column("caller_role", sa.String(30), nullable=False),
        sa.Column("purpose", sa.String(40), nullable=False),
        sa.Column("started_at", UTCDateTime, nullable=False),
        sa.Column("event_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_call_facts_started_at", "call_facts", ["started_at"])
    op.create_index("ix_call_facts_event_at", "call_facts", ["event_at"])
    op.create_table(
        "referral_facts",
        sa.Column("referral_id", sa.String(36), primary_key=True),
        sa.Column("service_type", sa.String(40), nullable=False),
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("region", sa.String(100), nullable=False),
        sa.Column("urgency", sa.String(20), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("event_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_referral_facts_created_at", "referral_facts", ["created_at"])
    op.create_index("ix_referral_facts_event_at", "referral_facts", ["event_at"])
    op.create_table(
        "meeting_facts",
        sa.Column("meeting_id", sa.String(36), primary_key=True),
        sa.Column("scheduled_for", UTCDateTime, nullable=False),
        sa.Column("quarter", sa.String(10), nullable=False),
        sa.Column("online", sa.Boolean, nullable=False),
        sa.Column("event_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_meeting_facts_scheduled_for", "meeting_facts", ["scheduled_for"])
    op.create_index("ix_meeting_facts_event_at", "meeting_facts", ["event_at"])
    create_event_tables(op)


def downgrade() -> None:
    drop_event_tables(op)
    for table in ("meeting_facts", "referral_facts", "call_facts"):
        op.drop_table(table)
