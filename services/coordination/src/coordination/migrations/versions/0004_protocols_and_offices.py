"""Signed protocols (append-only, enforced by triggers), the head's signing keys, the secretary's
office, discussion notes and assignments, and delegated replacements in attendance.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from hotline_common.db import UTCDateTime

revision = "0004"
down_revision = "0003"

# A signed protocol is a legal act: never changed, never deleted. A correction is a new row.
IMMUTABLE_SQLITE = [
    """CREATE TRIGGER wg_protocols_no_update BEFORE UPDATE ON wg_protocols
       BEGIN SELECT RAISE(ABORT, 'wg_protocols is append-only: a signed protocol is immutable'); END""",
    """CREATE TRIGGER wg_protocols_no_delete BEFORE DELETE ON wg_protocols
       BEGIN SELECT RAISE(ABORT, 'wg_protocols is append-only: a signed protocol is immutable'); END""",
]
IMMUTABLE_POSTGRESQL = [
    """CREATE FUNCTION wg_protocols_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'wg_protocols is append-only: a signed protocol is immutable'; END $$""",
    """CREATE TRIGGER wg_protocols_immutable BEFORE UPDATE OR DELETE ON wg_protocols
       FOR EACH ROW EXECUTE FUNCTION wg_protocols_immutable()""",
]


def upgrade() -> None:
    with op.batch_alter_table("wg_meetings") as batch:
        batch.add_column(sa.Column("notes", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("held_at", UTCDateTime, nullable=True))
        batch.add_column(sa.Column("closed_at", UTCDateTime, nullable=True))
    with op.batch_alter_table("wg_attendance") as batch:
        batch.add_column(sa.Column("replacement_name", sa.String(200), nullable=True))

    op.create_table(
        "wg_offices",
        sa.Column("id", sa.String(36), primary_key=True),
        # secretary (the head's office follows the head member)
        sa.Column("office", sa.String(30), nullable=False),
        sa.Column("subject", sa.String(100), nullable=False, index=True),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_to", sa.Date, nullable=True),
        sa.Column("assigned_by", sa.String(100), nullable=False),
        sa.Column("assigned_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "wg_assignments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("meeting_id", sa.String(36), sa.ForeignKey("wg_meetings.id"), nullable=False, index=True),
        sa.Column("agenda_item", sa.Integer, nullable=False),
        sa.Column("text", sa.String(2000), nullable=False),
        sa.Column("owner", sa.String(300), nullable=False),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "wg_signing_keys",
        sa.Column("id", sa.String(36), primary_key=True),
        # The head (token subject) the key belongs to.
        sa.Column("subject", sa.String(100), nullable=False, index=True),
        sa.Column("public_key", sa.LargeBinary, nullable=False),
        # Ed25519 private key (raw 32 bytes), AES-GCM under the service's keyring.
        sa.Column("private_key_sealed", sa.LargeBinary, nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("retired_at", UTCDateTime, nullable=True),
    )
    op.create_table(
        "wg_protocols",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("meeting_id", sa.String(36), sa.ForeignKey("wg_meetings.id"), nullable=False, index=True),
        sa.Column("supersedes_id", sa.String(36), sa.ForeignKey("wg_protocols.id"), nullable=True, unique=True),
        sa.Column("correction_reason", sa.String(1000), nullable=True),
        # The canonical serialisation exactly as signed (UTF-8 JSON, see protocols.canonical).
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("signature", sa.LargeBinary, nullable=False),
        sa.Column("key_id", sa.String(36), sa.ForeignKey("wg_signing_keys.id"), nullable=False),
        sa.Column("signed_by", sa.String(100), nullable=False),
        sa.Column("signed_at", UTCDateTime, nullable=False),
    )
    bind = op.get_bind()
    for statement in IMMUTABLE_POSTGRESQL if bind.dialect.name == "postgresql" else IMMUTABLE_SQLITE:
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER wg_protocols_immutable ON wg_protocols")
        op.execute("DROP FUNCTION wg_protocols_immutable()")
    else:
        op.execute("DROP TRIGGER wg_protocols_no_update")
        op.execute("DROP TRIGGER wg_protocols_no_delete")
    op.drop_table("wg_protocols")
    op.drop_table("wg_signing_keys")
    op.drop_table("wg_assignments")
    op.drop_table("wg_offices")
    with op.batch_alter_table("wg_attendance") as batch:
        batch.drop_column("replacement_name")
    with op.batch_alter_table("wg_meetings") as batch:
        batch.drop_column("closed_at")
        batch.drop_column("held_at")
        batch.drop_column("notes")
