"""Access log of consented personal data shown outside the hotline: who (partner user or one-time
link), which referral, which fields, when. Rows are only ever inserted.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from hotline_common.db import UTCDateTime

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_table(
        "shared_data_reads",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("referral_id", sa.String(36), sa.ForeignKey("referrals.id"), nullable=False),
        sa.Column("reader", sa.String(100), nullable=False),
        sa.Column("reader_kind", sa.String(20), nullable=False),
        sa.Column("organisation_id", sa.String(36), nullable=True),
        # Comma-separated names of the fields shown (never their values).
        sa.Column("fields", sa.String(300), nullable=False),
        # portal, api, grpc, link
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_shared_data_reads_referral", "shared_data_reads", ["referral_id", "at"])


def downgrade() -> None:
    op.drop_table("shared_data_reads")
