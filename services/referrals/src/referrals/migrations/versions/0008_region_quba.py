"""One spelling per region: "Guba" becomes "Quba" (Azerbaijan's official romanisation, the shared
region list's code) wherever referrals stores a region or city: the directory's services and the
referrals made to them. The directory's history keeps what was written then.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"

RETIRED, CANONICAL = "guba", "Quba"
COLUMNS = (("directory_services", "region"), ("directory_services", "city"), ("referrals", "region"))


def upgrade() -> None:
    for table, column in COLUMNS:
        stored = sa.column(column, sa.String)
        op.execute(sa.table(table, stored).update().where(sa.func.lower(stored) == RETIRED).values({column: CANONICAL}))


def downgrade() -> None:
    """Nothing to undo: "Guba" and "Quba" name one city, and which rows said "Guba" is not kept."""
