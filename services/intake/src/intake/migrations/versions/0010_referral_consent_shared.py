"""A referral made for a contact records whether the caller's consent let personal data go to the
organisation (the journal offers to revoke it only then).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    with op.batch_alter_table("contact_referrals") as batch:
        batch.add_column(sa.Column("consent_shared", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("contact_referrals") as batch:
        batch.drop_column("consent_shared")
