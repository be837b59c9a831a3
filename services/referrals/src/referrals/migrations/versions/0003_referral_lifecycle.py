"""Referral lifecycle: acknowledgement deadlines and escalation, reason codes and actor kinds on
transitions, consent records with the encrypted shared data, notes back to the hotline (encrypted),
one-time links for specialists without an account (only the token's hash is stored).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from hotline_common.db import UTCDateTime

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    with op.batch_alter_table("referrals") as batch:
        batch.add_column(sa.Column("caller_id", sa.String(36), nullable=True))
        batch.add_column(sa.Column("acknowledgement_due_at", UTCDateTime, nullable=True))
        batch.add_column(sa.Column("overdue_escalated_at", UTCDateTime, nullable=True))
        batch.add_column(sa.Column("reason_code", sa.String(40), nullable=True))
        batch.add_column(sa.Column("updated_at", UTCDateTime, nullable=True))
    op.create_index("ix_referrals_status_due", "referrals", ["status", "acknowledgement_due_at"])
    with op.batch_alter_table("referral_transitions") as batch:
        batch.add_column(sa.Column("actor_kind", sa.String(20), nullable=False, server_default="hotline"))
        batch.add_column(sa.Column("reason_code", sa.String(40), nullable=True))
    op.create_table(
        "referral_consents",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("referral_id", sa.String(36), sa.ForeignKey("referrals.id"), nullable=False, unique=True),
        sa.Column("organisation_id", sa.String(36), nullable=False),
        # Comma-separated field names the caller agreed to share, e.g. "name,phone,language".
        sa.Column("fields", sa.String(300), nullable=False),
        sa.Column("purpose", sa.String(300), nullable=False),
        sa.Column("valid_until", UTCDateTime, nullable=False),
        sa.Column("taken_by", sa.String(100), nullable=False),
        sa.Column("taken_at", UTCDateTime, nullable=False),
        # AES-GCM (FieldCipher) JSON of the consented values; NULL once revoked.
        sa.Column("shared_data", sa.LargeBinary, nullable=True),
        sa.Column("revoked_at", UTCDateTime, nullable=True),
        sa.Column("revoked_by", sa.String(100), nullable=True),
    )
    op.create_table(
        "referral_notes",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("referral_id", sa.String(36), sa.ForeignKey("referrals.id"), nullable=False),
        sa.Column("author", sa.String(100), nullable=False),
        sa.Column("author_kind", sa.String(20), nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_referral_notes_referral_id", "referral_notes", ["referral_id"])
    op.create_table(
        "referral_links",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("referral_id", sa.String(36), sa.ForeignKey("referrals.id"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("expires_at", UTCDateTime, nullable=False),
        sa.Column("used_at", UTCDateTime, nullable=True),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_referral_links_referral_id", "referral_links", ["referral_id"])


def downgrade() -> None:
    op.drop_table("referral_links")
    op.drop_table("referral_notes")
    op.drop_table("referral_consents")
    with op.batch_alter_table("referral_transitions") as batch:
        batch.drop_column("reason_code")
        batch.drop_column("actor_kind")
    op.drop_index("ix_referrals_status_due", table_name="referrals")
    with op.batch_alter_table("referrals") as batch:
        for column in ("updated_at", "reason_code", "overdue_escalated_at", "acknowledgement_due_at", "caller_id"):
            batch.drop_column(column)
