"""The referral's free-text need is encrypted at rest like the consented values: the clear `reason`
column becomes `need`, AES-GCM under the service's keyring (ENCRYPTION_KEYRING, the same variable the
service reads), bound to the row (`referrals.need:<id>`). Stored rows are encrypted here; with rows
to encrypt and no keyring the migration stops and says so (the text is never kept in clear).

Revision ID: 0009
Revises: 0008
"""

import os

import sqlalchemy as sa
from alembic import op

from hotline_common.crypto import FieldCipher

revision = "0009"
down_revision = "0008"

# Fixed here as the rows are stored (referral.models.need_context must keep giving the same).
CONTEXT = "referrals.need:{id}"


def _cipher() -> FieldCipher:
    keyring = os.environ.get("ENCRYPTION_KEYRING")
    if not keyring:
        raise RuntimeError(
            "ENCRYPTION_KEYRING is not set: it is needed to encrypt the referrals' stored needs (migration 0009)"
        )
    return FieldCipher(keyring)


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, reason FROM referrals")).all()
    cipher = _cipher() if rows else None  # before any change: SQLite does not roll DDL back
    op.add_column("referrals", sa.Column("need", sa.LargeBinary(), nullable=True))
    for referral_id, reason in rows:
        assert cipher is not None  # there are rows
        sealed = cipher.encrypt(reason, context=CONTEXT.format(id=referral_id))
        bind.execute(sa.text("UPDATE referrals SET need = :need WHERE id = :id"), {"need": sealed, "id": referral_id})
    with op.batch_alter_table("referrals") as batch:
        batch.alter_column("need", existing_type=sa.LargeBinary(), nullable=False)
        batch.drop_column("reason")


def downgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, need FROM referrals")).all()
    cipher = _cipher() if rows else None
    op.add_column("referrals", sa.Column("reason", sa.String(500), nullable=True))
    for referral_id, need in rows:
        assert cipher is not None  # there are rows
        reason = cipher.decrypt(need, context=CONTEXT.format(id=referral_id))
        bind.execute(
            sa.text("UPDATE referrals SET reason = :reason WHERE id = :id"), {"reason": reason, "id": referral_id}
        )
    with op.batch_alter_table("referrals") as batch:
        batch.alter_column("reason", existing_type=sa.String(500), nullable=False)
        batch.drop_column("need")
