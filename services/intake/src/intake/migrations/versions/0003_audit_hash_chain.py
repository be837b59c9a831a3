"""Hash-chain the access audit and make it append-only in the database itself.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from hotline_common.db import UTCDateTime
from intake.audit.chain import GENESIS, entry_hash

revision = "0003"
down_revision = "0002"

APPEND_ONLY_SQLITE = [
    """CREATE TRIGGER access_audit_no_update BEFORE UPDATE ON access_audit
       BEGIN SELECT RAISE(ABORT, 'access_audit is append-only'); END""",
    """CREATE TRIGGER access_audit_no_delete BEFORE DELETE ON access_audit
       BEGIN SELECT RAISE(ABORT, 'access_audit is append-only'); END""",
]
APPEND_ONLY_POSTGRESQL = [
    """CREATE FUNCTION access_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'access_audit is append-only'; END $$""",
    """CREATE TRIGGER access_audit_append_only BEFORE UPDATE OR DELETE ON access_audit
       FOR EACH ROW EXECUTE FUNCTION access_audit_append_only()""",
]


def upgrade() -> None:
    with op.batch_alter_table("access_audit") as batch:
        batch.add_column(sa.Column("seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), nullable=True))
        batch.add_column(sa.Column("prev_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("entry_hash", sa.String(64), nullable=True))
    head_table = op.create_table(
        "access_audit_head",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
    )
    # Chain the entries written before this revision, oldest first.
    bind = op.get_bind()
    audit = sa.table(
        "access_audit",
        sa.column("at", UTCDateTime),
        *(
            sa.column(c)
            for c in (
                "id",
                "actor_id",
                "actor_role",
                "action",
                "record_type",
                "record_id",
                "interface",
                "reason",
                "seq",
                "prev_hash",
                "entry_hash",
            )
        ),
    )
    seq, prev = 0, GENESIS
    for row in bind.execute(sa.select(audit).order_by(audit.c.at, audit.c.id)).mappings().all():
        seq += 1
        fields = {
            k: row[k]
            for k in ("id", "at", "actor_id", "actor_role", "action", "record_type", "record_id", "interface", "reason")
        }
        digest = entry_hash(seq=seq, prev_hash=prev, **fields)
        bind.execute(audit.update().where(audit.c.id == row["id"]).values(seq=seq, prev_hash=prev, entry_hash=digest))
        prev = digest
    op.bulk_insert(head_table, [{"id": 1, "seq": seq, "entry_hash": prev}])
    with op.batch_alter_table("access_audit") as batch:
        batch.alter_column("seq", nullable=False)
        batch.alter_column("prev_hash", nullable=False)
        batch.alter_column("entry_hash", nullable=False)
        batch.create_unique_constraint("uq_access_audit_seq", ["seq"])
    for statement in APPEND_ONLY_POSTGRESQL if bind.dialect.name == "postgresql" else APPEND_ONLY_SQLITE:
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER access_audit_append_only ON access_audit")
        op.execute("DROP FUNCTION access_audit_append_only()")
    else:
        op.execute("DROP TRIGGER access_audit_no_update")
        op.execute("DROP TRIGGER access_audit_no_delete")
    op.drop_table("access_audit_head")
    with op.batch_alter_table("access_audit") as batch:
        batch.drop_constraint("uq_access_audit_seq", type_="unique")
        batch.drop_column("entry_hash")
        batch.drop_column("prev_hash")
        batch.drop_column("seq")
