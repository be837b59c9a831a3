"""Information and experience exchange: messages with recipients and read receipts, replies,
proposals for the Group's agenda; a library of documents and practices per body.

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
        "wg_messages",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("sender", sa.String(100), nullable=False, index=True),
        sa.Column("sender_name", sa.String(200), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        # public, internal or confidential
        sa.Column("confidentiality", sa.String(20), nullable=False),
        sa.Column("to_all", sa.Boolean, nullable=False),
        sa.Column("reply_to", sa.String(36), sa.ForeignKey("wg_messages.id"), nullable=True),
        sa.Column("is_proposal", sa.Boolean, nullable=False),
        sa.Column("agenda_meeting_id", sa.String(36), sa.ForeignKey("wg_meetings.id"), nullable=True),
        sa.Column("sent_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "wg_message_recipients",
        sa.Column("message_id", sa.String(36), sa.ForeignKey("wg_messages.id"), primary_key=True),
        sa.Column("recipient", sa.String(100), primary_key=True),
        sa.Column("read_at", UTCDateTime, nullable=True),
    )
    op.create_index("ix_wg_message_recipients_recipient", "wg_message_recipients", ["recipient"])
    op.create_table(
        "wg_library",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("title", sa.String(300), nullable=False),
        # document or practice
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("body", sa.String(300), nullable=False, index=True),
        sa.Column("filename", sa.String(200), nullable=True),
        sa.Column("content_type", sa.String(100), nullable=True),
        sa.Column("content", sa.LargeBinary, nullable=True),
        sa.Column("added_by", sa.String(100), nullable=False),
        sa.Column("added_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("wg_library")
    op.drop_index("ix_wg_message_recipients_recipient", "wg_message_recipients")
    op.drop_table("wg_message_recipients")
    op.drop_table("wg_messages")
