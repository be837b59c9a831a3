"""The access log of consented data shown to partners is append-only in the database itself, not only
in code: UPDATE and DELETE on shared_data_reads are refused by triggers.

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"

MESSAGE = "shared_data_reads is append-only"
APPEND_ONLY_SQLITE = [
    f"""CREATE TRIGGER shared_data_reads_no_update BEFORE UPDATE ON shared_data_reads
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER shared_data_reads_no_delete BEFORE DELETE ON shared_data_reads
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
APPEND_ONLY_POSTGRESQL = [
    f"""CREATE FUNCTION shared_data_reads_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$""",
    """CREATE TRIGGER shared_data_reads_append_only BEFORE UPDATE OR DELETE ON shared_data_reads
       FOR EACH ROW EXECUTE FUNCTION shared_data_reads_append_only()""",
    # TRUNCATE bypasses row triggers; refuse it too.
    """CREATE TRIGGER shared_data_reads_no_truncate BEFORE TRUNCATE ON shared_data_reads
       FOR EACH STATEMENT EXECUTE FUNCTION shared_data_reads_append_only()""",
]


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in APPEND_ONLY_POSTGRESQL if postgresql else APPEND_ONLY_SQLITE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER shared_data_reads_no_truncate ON shared_data_reads")
        op.execute("DROP TRIGGER shared_data_reads_append_only ON shared_data_reads")
        op.execute("DROP FUNCTION shared_data_reads_append_only()")
    else:
        op.execute("DROP TRIGGER shared_data_reads_no_update")
        op.execute("DROP TRIGGER shared_data_reads_no_delete")
