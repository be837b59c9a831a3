"""The open follow-ups list walks its own partial index in list order (started_at, id).

The index's WHERE is written exactly as the list query renders its filter on each dialect, so
SQLite's and PostgreSQL's planners can use it.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"

OLD_OPEN = "follow_up_needed AND follow_up_done_at IS NULL"
SQLITE_OPEN = "follow_up_needed IS 1 AND follow_up_done_at IS NULL"
POSTGRESQL_OPEN = "follow_up_needed IS true AND follow_up_done_at IS NULL"


def upgrade() -> None:
    op.drop_index("ix_contacts_open_follow_up", "contacts")
    op.create_index(
        "ix_contacts_open_follow_up",
        "contacts",
        ["started_at", "id"],
        sqlite_where=sa.text(SQLITE_OPEN),
        postgresql_where=sa.text(POSTGRESQL_OPEN),
    )


def downgrade() -> None:
    op.drop_index("ix_contacts_open_follow_up", "contacts")
    op.create_index(
        "ix_contacts_open_follow_up",
        "contacts",
        ["follow_up_due_at"],
        sqlite_where=sa.text(OLD_OPEN),
        postgresql_where=sa.text(OLD_OPEN),
    )
