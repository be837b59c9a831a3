"""Directory, referrals and the event tables.

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
        "organisations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "directory_services",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("organisation_id", sa.String(36), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("service_type", sa.String(40), nullable=False),
        sa.Column("region", sa.String(100), nullable=False),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("languages", sa.String(100), nullable=False),
        sa.Column("phone", sa.String(50), nullable=False),
        sa.Column("opening_hours", sa.String(100), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_directory_type_region", "directory_services", ["service_type", "region"])
    op.create_table(
        "referrals",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("contact_id", sa.String(36), nullable=False),
        sa.Column("service_id", sa.String(36), sa.ForeignKey("directory_services.id"), nullable=False),
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("service_type", sa.String(40), nullable=False),
        sa.Column("region", sa.String(100), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("urgency", sa.String(20), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_referrals_contact_id", "referrals", ["contact_id"])
    op.create_index("ix_referrals_org_created", "referrals", ["organisation_id", "created_at"])
    op.create_table(
        "referral_transitions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("referral_id", sa.String(36), sa.ForeignKey("referrals.id"), nullable=False),
        sa.Column("from_status", sa.String(30), nullable=True),
        sa.Column("to_status", sa.String(30), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_referral_transitions_referral_id", "referral_transitions", ["referral_id"])
    create_event_tables(op)


def downgrade() -> None:
    drop_event_tables(op)
    for table in ("referral_transitions", "referrals", "directory_services", "organisations"):
        op.drop_table(table)
