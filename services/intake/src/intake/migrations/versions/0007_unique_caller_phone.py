"""One caller profile per phone number: the keyed hash is unique, so two operators creating a
profile for the same number at the same moment cannot both succeed (NULLs, left by retention, repeat).

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    op.drop_index("ix_vault_caller_phones_index", "vault_caller_phones")
    op.create_index("uq_vault_caller_phones_index", "vault_caller_phones", ["phone_index"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_vault_caller_phones_index", "vault_caller_phones")
    op.create_index("ix_vault_caller_phones_index", "vault_caller_phones", ["phone_index"])
