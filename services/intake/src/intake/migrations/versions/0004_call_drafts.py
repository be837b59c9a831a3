"""Drafts of the call sheet, saved as the operator types.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from hotline_common.db import UTCDateTime

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.create_table(
        "call_drafts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("operator_id", sa.String(100), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("ciphertext", sa.LargeBinary, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("closed_at", UTCDateTime, nullable=True),
        sa.Column("contact_id", sa.String(36), nullable=True),
    )
    op.create_index("ix_call_drafts_operator_open", "call_drafts", ["operator_id", "closed_at"])


def downgrade() -> None:
    op.drop_index("ix_call_drafts_operator_open", "call_drafts")
    op.drop_table("call_drafts")
