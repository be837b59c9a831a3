"""The consumers' event watermarks (replay of events the broker lost).

Revision ID: 0002
Revises: 0001
"""

from alembic import op

from hotline_common.events.schema import create_watermark_table, drop_watermark_table

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    create_watermark_table(op)


def downgrade() -> None:
    drop_watermark_table(op)
