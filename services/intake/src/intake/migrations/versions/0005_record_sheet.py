"""The full statistical record sheet on contacts (codes only), the agency name in the identity vault,
high-risk screening alerts, versioned advice scripts, and the indexes the contact lists filter on.

Revision ID: 0005
Revises: 0004
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from hotline_common.db import UTCDateTime

revision = "0005"
down_revision = "0004"

# Multi-valued codes (indicators, advice, ...) are JSON arrays of codes: a sheet is read whole,
# and counting happens in reporting from the events, never by querying these columns.
SHEET_COLUMNS: list[sa.Column[Any]] = [
    sa.Column("ended_at", UTCDateTime, nullable=True),
    sa.Column("duration_seconds", sa.Integer, nullable=True),
    # Pseudonymous caller profile id; NULL for an anonymous caller.
    sa.Column("caller_id", sa.String(36), nullable=True),
    sa.Column("anonymous", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("caller_sex", sa.String(20), nullable=False, server_default=""),
    sa.Column("caller_age_group", sa.String(20), nullable=False, server_default=""),
    sa.Column("caller_citizenship", sa.String(2), nullable=False, server_default=""),
    sa.Column("caller_country", sa.String(2), nullable=False, server_default=""),
    sa.Column("caller_region", sa.String(40), nullable=False, server_default=""),
    sa.Column("caller_language", sa.String(5), nullable=False, server_default=""),
    sa.Column("motive", sa.String(30), nullable=False, server_default=""),
    sa.Column("destination_country", sa.String(2), nullable=False, server_default=""),
    sa.Column("indicators", sa.JSON, nullable=False, server_default="[]"),
    sa.Column("risk_level", sa.String(10), nullable=False, server_default="none"),
    sa.Column("police_report", sa.String(20), nullable=False, server_default=""),
    sa.Column("exploitation_types", sa.JSON, nullable=False, server_default="[]"),
    sa.Column("labour_industry", sa.String(30), nullable=False, server_default=""),
    sa.Column("state_at_start", sa.String(20), nullable=False, server_default=""),
    sa.Column("state_at_end", sa.String(20), nullable=False, server_default=""),
    sa.Column("crisis_support", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("tactics", sa.JSON, nullable=False, server_default="[]"),
    sa.Column("advice_given", sa.JSON, nullable=False, server_default="[]"),
    sa.Column("services_informed", sa.JSON, nullable=False, server_default="[]"),
    sa.Column("follow_up_needed", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("follow_up_due_at", UTCDateTime, nullable=True),
    sa.Column("follow_up_done_at", UTCDateTime, nullable=True),
    sa.Column("script_version_id", sa.String(36), nullable=True),
    sa.Column("revision", sa.Integer, nullable=False, server_default="1"),
]

OPEN_FOLLOW_UP = "follow_up_needed AND follow_up_done_at IS NULL"

# List filters: each one narrows, then the list walks started_at DESC, id DESC (keyset).
LIST_INDEXES = {
    "ix_contacts_started_id": ["started_at", "id"],
    "ix_contacts_line_started": ["line", "started_at", "id"],
    "ix_contacts_role_started": ["caller_role", "started_at", "id"],
    "ix_contacts_purpose_started": ["purpose", "started_at", "id"],
    "ix_contacts_risk_started": ["risk_level", "started_at", "id"],
    "ix_contacts_operator_started": ["operator_id", "started_at", "id"],
    "ix_contacts_caller": ["caller_id", "started_at"],
}


def upgrade() -> None:
    for column in SHEET_COLUMNS:
        op.add_column("contacts", column)
    for name, columns in LIST_INDEXES.items():
        op.create_index(name, "contacts", columns)
    op.create_index(
        "ix_contacts_open_follow_up",
        "contacts",
        ["follow_up_due_at"],
        sqlite_where=sa.text(OPEN_FOLLOW_UP),
        postgresql_where=sa.text(OPEN_FOLLOW_UP),
    )
    op.create_table(
        "vault_contact_agencies",
        sa.Column("contact_id", sa.String(36), sa.ForeignKey("contacts.id"), primary_key=True),
        sa.Column("ciphertext", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "screening_alerts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("contact_id", sa.String(36), sa.ForeignKey("contacts.id"), nullable=False),
        sa.Column("caller_id", sa.String(36), nullable=True),
        sa.Column("risk_level", sa.String(10), nullable=False),
        sa.Column("indicator_groups", sa.JSON, nullable=False),
        sa.Column("operator_id", sa.String(100), nullable=False),
        sa.Column("police_report", sa.String(20), nullable=False),
        sa.Column("raised_at", UTCDateTime, nullable=False),
        sa.Column("closed_at", UTCDateTime, nullable=True),
        sa.Column("closed_by", sa.String(100), nullable=True),
    )
    op.create_index("ix_screening_alerts_open", "screening_alerts", ["closed_at", "raised_at"])
    op.create_index("ix_screening_alerts_contact", "screening_alerts", ["contact_id"])
    op.create_table(
        "advice_scripts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("purpose", sa.String(40), nullable=False),
        # "" = any destination (the generic script).
        sa.Column("destination_country", sa.String(2), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("current_version", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("purpose", "destination_country", "language", name="uq_advice_scripts_key"),
    )
    op.create_table(
        "advice_script_versions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("script_id", sa.String(36), sa.ForeignKey("advice_scripts.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("author_id", sa.String(100), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("script_id", "version", name="uq_advice_script_versions"),
    )


def downgrade() -> None:
    op.drop_table("advice_script_versions")
    op.drop_table("advice_scripts")
    op.drop_index("ix_screening_alerts_contact", "screening_alerts")
    op.drop_index("ix_screening_alerts_open", "screening_alerts")
    op.drop_table("screening_alerts")
    op.drop_table("vault_contact_agencies")
    op.drop_index("ix_contacts_open_follow_up", "contacts")
    for name in LIST_INDEXES:
        op.drop_index(name, "contacts")
    with op.batch_alter_table("contacts") as batch:
        for column in reversed(SHEET_COLUMNS):
            batch.drop_column(column.name)
