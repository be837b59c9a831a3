"""One spelling per region: referral facts projected with the region "Guba" now say "Quba" (the
shared region list's code; referrals migrated its own rows the same way). Call facts cannot hold
"Guba": intake never accepted it as a caller's region.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    region = sa.column("region", sa.String)
    op.execute(sa.table("referral_facts", region).update().where(sa.func.lower(region) == "guba").values(region="Quba"))


def downgrade() -> None:
    """Nothing to undo: "Guba" and "Quba" name one city, and which rows said "Guba" is not kept."""
