"""The Working Group's rules: dated, approved membership; meeting agreement and attendance;
proposals and votes.

Members already present were approved before proposals were recorded: they stay approved and
count from the day of their approval. Meetings already present stay proposed (not yet agreed).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from hotline_common.db import UTCDateTime

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    with op.batch_alter_table("wg_members") as batch:
        batch.add_column(sa.Column("status", sa.String(20), nullable=False, server_default="approved"))
        batch.add_column(sa.Column("valid_from", sa.Date, nullable=True))
        batch.add_column(sa.Column("valid_to", sa.Date, nullable=True))
        batch.add_column(sa.Column("subject", sa.String(100), nullable=True))
        batch.add_column(sa.Column("proposed_by", sa.String(100), nullable=True))
        batch.add_column(sa.Column("proposed_at", UTCDateTime, nullable=True))
        batch.add_column(sa.Column("decided_by", sa.String(100), nullable=True))
        batch.add_column(sa.Column("rejected_at", UTCDateTime, nullable=True))
        batch.add_column(sa.Column("rejection_reason", sa.String(500), nullable=True))
        batch.alter_column("approved_at", existing_type=UTCDateTime, nullable=True)
        batch.create_unique_constraint("uq_wg_members_subject", ["subject"])
    _backfill_valid_from()

    with op.batch_alter_table("wg_meetings") as batch:
        batch.add_column(sa.Column("status", sa.String(20), nullable=False, server_default="proposed"))
        batch.add_column(sa.Column("agreed_by", sa.String(100), nullable=True))
        batch.add_column(sa.Column("agreed_at", UTCDateTime, nullable=True))

    op.create_table(
        "wg_attendance",
        sa.Column("meeting_id", sa.String(36), sa.ForeignKey("wg_meetings.id"), primary_key=True),
        sa.Column("member_id", sa.String(36), sa.ForeignKey("wg_members.id"), primary_key=True),
        sa.Column("presence", sa.String(20), nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("recorded_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "wg_proposals",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("meeting_id", sa.String(36), sa.ForeignKey("wg_meetings.id"), nullable=False),
        sa.Column("agenda_item", sa.Integer, nullable=False),
        sa.Column("text", sa.String(2000), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.Column("votes_for", sa.Integer, nullable=True),
        sa.Column("votes_against", sa.Integer, nullable=True),
        sa.Column("abstentions", sa.Integer, nullable=True),
        sa.Column("decided_by_head", sa.Boolean, nullable=True),
        sa.Column("decided_by", sa.String(100), nullable=True),
        sa.Column("decided_at", UTCDateTime, nullable=True),
    )
    op.create_index("ix_wg_proposals_meeting_id", "wg_proposals", ["meeting_id"])
    op.create_table(
        "wg_votes",
        sa.Column("proposal_id", sa.String(36), sa.ForeignKey("wg_proposals.id"), primary_key=True),
        sa.Column("member_id", sa.String(36), sa.ForeignKey("wg_members.id"), primary_key=True),
        sa.Column("choice", sa.String(10), nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("cast_at", UTCDateTime, nullable=False),
    )


def _backfill_valid_from() -> None:
    """Existing members count from the (UTC) day they were approved."""
    members = sa.table(
        "wg_members",
        sa.column("id", sa.String),
        sa.column("approved_at", UTCDateTime),
        sa.column("valid_from", sa.Date),
    )
    bind = op.get_bind()
    for member_id, approved_at in bind.execute(sa.select(members.c.id, members.c.approved_at)).all():
        bind.execute(members.update().where(members.c.id == member_id).values(valid_from=approved_at.date()))


def downgrade() -> None:
    op.drop_table("wg_votes")
    op.drop_index("ix_wg_proposals_meeting_id", table_name="wg_proposals")
    op.drop_table("wg_proposals")
    op.drop_table("wg_attendance")
    with op.batch_alter_table("wg_meetings") as batch:
        batch.drop_column("agreed_at")
        batch.drop_column("agreed_by")
        batch.drop_column("status")
    # Only approved members existed before; the others cannot be represented.
    op.execute("DELETE FROM wg_members WHERE status <> 'approved'")
    with op.batch_alter_table("wg_members") as batch:
        batch.drop_constraint("uq_wg_members_subject", type_="unique")
        batch.alter_column("approved_at", existing_type=UTCDateTime, nullable=False)
        for column in (
            "rejection_reason",
            "rejected_at",
            "decided_by",
            "proposed_at",
            "proposed_by",
            "subject",
            "valid_to",
            "valid_from",
            "status",
        ):
            batch.drop_column(column)
