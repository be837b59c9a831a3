"""The National Action Plan: measures, progress reports per executing body, evidence documents
(stored in the database, so they share its backups, access control and transactions).

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
        "nap_measures",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("number", sa.String(30), nullable=False, unique=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("executing_bodies", sa.JSON, nullable=False),
        sa.Column("recommended_institutions", sa.JSON, nullable=False),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.Column("indicators", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
    )
    op.create_table(
        "nap_progress",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("measure_id", sa.String(36), sa.ForeignKey("nap_measures.id"), nullable=False, index=True),
        sa.Column("body", sa.String(300), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("reported_by", sa.String(100), nullable=False),
        sa.Column("reported_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "nap_evidence",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("progress_id", sa.String(36), sa.ForeignKey("nap_progress.id"), nullable=False, index=True),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("nap_evidence")
    op.drop_table("nap_progress")
    op.drop_table("nap_measures")
