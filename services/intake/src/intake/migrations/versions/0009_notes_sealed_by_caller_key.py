"""The note and agency name of a call linked to a caller are sealed with that caller's own key, so
deleting the key at retention makes every copy (backups included) unreadable. `sealed_by` names the
caller whose key sealed the row; NULL = the service keyring (anonymous calls, rows from before).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    for name in ("vault_contact_notes", "vault_contact_agencies"):
        with op.batch_alter_table(name) as batch:
            batch.add_column(sa.Column("sealed_by", sa.String(36), nullable=True))


def downgrade() -> None:
    for name in ("vault_contact_notes", "vault_contact_agencies"):
        with op.batch_alter_table(name) as batch:
            batch.drop_column("sealed_by")
