"""Caller profiles and their journal: pseudonymous profiles (a code said aloud, danger flags), the
identity vault encrypted field by field under a per-caller key (deleting the key destroys the
identity), phones found by a keyed hash, recorded and undoable merges, follow-up assignments, and
the referral outcomes that flow in from referrals' events.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from hotline_common.db import UTCDateTime

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.create_table(
        "callers",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("code", sa.String(12), nullable=False, unique=True),
        # active | merged (into merged_into_id) | destroyed (retention deleted its key)
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("merged_into_id", sa.String(36), sa.ForeignKey("callers.id"), nullable=True),
        sa.Column("danger_flags", sa.JSON, nullable=False),
        sa.Column("assigned_operator_id", sa.String(100), nullable=True),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        # Retention counts from here: the last contact linked or the last edit of the profile.
        sa.Column("last_activity_at", UTCDateTime, nullable=False),
        sa.Column("destroyed_at", UTCDateTime, nullable=True),
    )
    op.create_index("ix_callers_status_activity", "callers", ["status", "last_activity_at"])
    op.create_index("ix_callers_merged_into", "callers", ["merged_into_id"])
    op.create_index("ix_callers_assigned", "callers", ["assigned_operator_id"])
    op.create_table(
        "caller_keys",
        sa.Column("caller_id", sa.String(36), sa.ForeignKey("callers.id"), primary_key=True),
        # The caller's AES-256 data key, itself encrypted with the service keyring.
        sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "vault_caller_fields",
        sa.Column("caller_id", sa.String(36), sa.ForeignKey("callers.id"), primary_key=True),
        sa.Column("field", sa.String(30), primary_key=True),
        sa.Column("ciphertext", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "vault_caller_phones",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("caller_id", sa.String(36), sa.ForeignKey("callers.id"), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary, nullable=False),
        # Keyed hash of the normalised number; cleared when the caller's identity is destroyed.
        sa.Column("phone_index", sa.String(64), nullable=True),
        sa.Column("added_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_vault_caller_phones_caller", "vault_caller_phones", ["caller_id"])
    op.create_index("ix_vault_caller_phones_index", "vault_caller_phones", ["phone_index"])
    op.create_table(
        "caller_merges",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("survivor_id", sa.String(36), sa.ForeignKey("callers.id"), nullable=False),
        sa.Column("merged_id", sa.String(36), sa.ForeignKey("callers.id"), nullable=False),
        sa.Column("reason", sa.String(300), nullable=False),
        sa.Column("merged_by", sa.String(100), nullable=False),
        sa.Column("merged_at", UTCDateTime, nullable=False),
        # What the merge changed on the survivor, so an undo restores exactly the state before.
        sa.Column("before", sa.JSON, nullable=False),
        sa.Column("undone_by", sa.String(100), nullable=True),
        sa.Column("undone_at", UTCDateTime, nullable=True),
        sa.Column("undo_reason", sa.String(300), nullable=True),
    )
    op.create_index("ix_caller_merges_merged", "caller_merges", ["merged_id", "undone_at"])
    op.create_table(
        "follow_up_assignments",
        sa.Column("contact_id", sa.String(36), sa.ForeignKey("contacts.id"), primary_key=True),
        sa.Column("operator_id", sa.String(100), nullable=False),
        sa.Column("assigned_by", sa.String(100), nullable=False),
        sa.Column("assigned_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_follow_up_assignments_operator", "follow_up_assignments", ["operator_id"])
    op.create_table(
        "referral_status_changes",
        # The referrals event's id: a redelivered event is one change.
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("referral_id", sa.String(36), nullable=False),
        sa.Column("contact_id", sa.String(36), nullable=False),
        sa.Column("from_status", sa.String(30), nullable=False),
        sa.Column("to_status", sa.String(30), nullable=False),
        sa.Column("reason_code", sa.String(40), nullable=False),
        sa.Column("actor_kind", sa.String(20), nullable=False),
        sa.Column("changed_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_referral_status_changes_referral", "referral_status_changes", ["referral_id", "changed_at"])
    op.create_index("ix_referral_status_changes_contact", "referral_status_changes", ["contact_id"])


def downgrade() -> None:
    op.drop_index("ix_referral_status_changes_contact", "referral_status_changes")
    op.drop_index("ix_referral_status_changes_referral", "referral_status_changes")
    op.drop_table("referral_status_changes")
    op.drop_index("ix_follow_up_assignments_operator", "follow_up_assignments")
    op.drop_table("follow_up_assignments")
    op.drop_index("ix_caller_merges_merged", "caller_merges")
    op.drop_table("caller_merges")
    op.drop_index("ix_vault_caller_phones_index", "vault_caller_phones")
    op.drop_index("ix_vault_caller_phones_caller", "vault_caller_phones")
    op.drop_table("vault_caller_phones")
    op.drop_table("vault_caller_fields")
    op.drop_table("caller_keys")
    op.drop_index("ix_callers_assigned", "callers")
    op.drop_index("ix_callers_merged_into", "callers")
    op.drop_index("ix_callers_status_activity", "callers")
    op.drop_table("callers")
