"""Quarterly and annual reports: generation jobs with progress, and the files they produced.

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
        "report_jobs",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("progress", sa.Integer, nullable=False, server_default="0"),
        sa.Column("scheduled", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("requested_by", sa.String(100), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("finished_at", UTCDateTime, nullable=True),
        sa.Column("error", sa.String(300), nullable=False, server_default=""),
        sa.Column("pdf", sa.LargeBinary, nullable=True),
        sa.Column("xlsx", sa.LargeBinary, nullable=True),
        sa.Column("csv", sa.LargeBinary, nullable=True),
    )
    op.create_index("ix_report_jobs_status", "report_jobs", ["status"])
    op.create_index("ix_report_jobs_period", "report_jobs", ["kind", "period"])


def downgrade() -> None:
    op.drop_table("report_jobs")
