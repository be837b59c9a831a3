"""Accounts, contacts, the identity vault, the access audit and the event tables.

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
        "staff_accounts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("username", sa.String(100), nullable=False, unique=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(30), nullable=False),
        sa.Column("organisation_id", sa.String(36), nullable=True),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "contacts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("line", sa.String(20), nullable=False),
        sa.Column("caller_role", sa.String(30), nullable=False),
        sa.Column("purpose", sa.String(40), nullable=False),
        sa.Column("started_at", UTCDateTime, nullable=False),
        sa.Column("recorded_at", UTCDateTime, nullable=False),
        sa.Column("operator_id", sa.String(100), nullable=False),
    )
    op.create_index("ix_contacts_started_at", "contacts", ["started_at"])
    op.create_table(
        "vault_contact_notes",
        sa.Column("contact_id", sa.String(36), sa.ForeignKey("contacts.id"), primary_key=True),
        sa.Column("ciphertext", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "contact_referrals",
        sa.Column("referral_id", sa.String(36), primary_key=True),
        sa.Column("contact_id", sa.String(36), sa.ForeignKey("contacts.id"), nullable=False),
        sa.Column("service_id", sa.String(36), nullable=False),
        sa.Column("service_type", sa.String(40), nullable=False),
        sa.Column("urgency", sa.String(20), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_contact_referrals_contact_id", "contact_referrals", ["contact_id"])
    op.create_table(
        "access_audit",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("actor_id", sa.String(100), nullable=False),
        sa.Column("actor_role", sa.String(30), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("record_type", sa.String(50), nullable=False),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("interface", sa.String(10), nullable=False),
        sa.Column("reason", sa.String(300), nullable=False),
    )
    op.create_index("ix_access_audit_at", "access_audit", ["at"])
    op.create_index("ix_access_audit_record", "access_audit", ["record_type", "record_id"])
    create_event_tables(op)


def downgrade() -> None:
    drop_event_tables(op)
    for table in ("access_audit", "contact_referrals", "vault_contact_notes", "contacts", "staff_accounts"):
        op.drop_table(table)
