"""The full call sheet, referral lifecycle, Working Group and NAP projections, and the lag.

Revision ID: 0003
Revises: 0002
"""

import os
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

from hotline_common.db import UTCDateTime

revision = "0003"
down_revision = "0002"

CALL_TEXT = {
    "local_date": 10,
    "local_week": 8,
    "local_month": 7,
    "local_quarter": 7,
    "local_year": 4,
    "sex": 20,
    "age_group": 20,
    "citizenship": 2,
    "country": 2,
    "region": 100,
    "language": 8,
    "motive": 40,
    "destination_country": 2,
    "risk_level": 10,
    "labour_industry": 40,
    "caller_id": 36,
}
CALL_INT = ("revision", "local_hour", "duration_seconds")
CALL_BOOL = ("crisis_support", "returning_caller", "follow_up_needed")


def _text(name, size):
    return sa.Column(name, sa.String(size), nullable=False, server_default="")


def _int(name):
    return sa.Column(name, sa.Integer, nullable=False, server_default="0")


def _bool(name):
    return sa.Column(name, sa.Boolean, nullable=False, server_default=sa.false())


def upgrade() -> None:
    for name, size in CALL_TEXT.items():
        op.add_column("call_facts", _text(name, size))
    for name in CALL_INT:
        op.add_column("call_facts", _int(name))
    for name in CALL_BOOL:
        op.add_column("call_facts", _bool(name))
    op.create_index("ix_call_facts_local_date", "call_facts", ["local_date"])
    op.create_index("ix_call_facts_local_quarter", "call_facts", ["local_quarter"])
    op.create_table(
        "call_exploitation_types",
        sa.Column("contact_id", sa.String(36), primary_key=True),
        sa.Column("code", sa.String(40), primary_key=True),
    )
    op.create_table(
        "call_methods_of_control",
        sa.Column("contact_id", sa.String(36), primary_key=True),
        sa.Column("code", sa.String(60), primary_key=True),
    )
    op.create_table(
        "high_risk_alerts",
        sa.Column("contact_id", sa.String(36), primary_key=True),
        sa.Column("raised_at", UTCDateTime, nullable=False),
        _bool("police_report_consented"),
        _text("local_quarter", 7),
    )
    op.create_index("ix_high_risk_alerts_raised_at", "high_risk_alerts", ["raised_at"])

    op.add_column("referral_facts", _text("status", 30))
    op.add_column("referral_facts", _text("local_quarter", 7))
    op.add_column("referral_facts", _text("outcome", 30))
    op.add_column("referral_facts", _text("outcome_reason", 40))
    for name in ("acknowledgement_due_at", "acknowledged_at", "outcome_at", "overdue_at"):
        op.add_column("referral_facts", sa.Column(name, UTCDateTime, nullable=True))
    for name in ("overdue", "consent_given", "consent_revoked"):
        op.add_column("referral_facts", _bool(name))

    for name in ("agenda_items", "members", "quorum_needed", "present"):
        op.add_column("meeting_facts", _int(name))
    for name in ("agreed", "held", "quorate", "protocol_signed"):
        op.add_column("meeting_facts", _bool(name))
    op.add_column("meeting_facts", sa.Column("held_at", UTCDateTime, nullable=True))

    op.create_table(
        "decision_facts",
        sa.Column("proposal_id", sa.String(36), primary_key=True),
        sa.Column("meeting_id", sa.String(36), nullable=False),
        sa.Column("decided_at", UTCDateTime, nullable=False),
        sa.Column("quarter", sa.String(7), nullable=False),
        _int("votes_for"),
        _int("votes_against"),
        _int("abstentions"),
        _bool("decided_by_head"),
    )
    op.create_index("ix_decision_facts_meeting_id", "decision_facts", ["meeting_id"])
    op.create_table(
        "nap_measure_facts",
        sa.Column("measure_id", sa.String(36), primary_key=True),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("deadline", UTCDateTime, nullable=True),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        _bool("overdue"),
    )
    op.create_table(
        "nap_measure_bodies",
        sa.Column("measure_id", sa.String(36), primary_key=True),
        sa.Column("body", sa.String(120), primary_key=True),
    )
    op.create_table(
        "projection_lag",
        sa.Column("consumer", sa.String(100), primary_key=True),
        sa.Column("newest_event_at", UTCDateTime, nullable=False),
        _int("events_applied"),
    )
    _backfill_local_periods()


def _backfill_local_periods() -> None:
    """Rows projected before this revision get their local period parts (same rule as the handlers)."""
    from reporting.statistics.periods import local_parts

    zone = ZoneInfo(os.environ.get("TIMEZONE") or "Asia/Baku")
    bind = op.get_bind()
    calls = sa.table(
        "call_facts",
        sa.column("contact_id"),
        sa.column("started_at", UTCDateTime),
        *(
            sa.column(n)
            for n in ("local_date", "local_week", "local_month", "local_quarter", "local_year", "local_hour")
        ),
    )
    for contact_id, started_at in bind.execute(sa.select(calls.c.contact_id, calls.c.started_at)).all():
        bind.execute(calls.update().where(calls.c.contact_id == contact_id).values(**local_parts(started_at, zone)))
    referrals = sa.table(
        "referral_facts", sa.column("referral_id"), sa.column("created_at", UTCDateTime), sa.column("local_quarter")
    )
    for referral_id, created_at in bind.execute(sa.select(referrals.c.referral_id, referrals.c.created_at)).all():
        bind.execute(
            referrals.update()
            .where(referrals.c.referral_id == referral_id)
            .values(local_quarter=local_parts(created_at, zone)["local_quarter"])
        )


def downgrade() -> None:
    for table in (
        "projection_lag",
        "nap_measure_bodies",
        "nap_measure_facts",
        "decision_facts",
        "high_risk_alerts",
        "call_methods_of_control",
        "call_exploitation_types",
    ):
        op.drop_table(table)
    with op.batch_alter_table("meeting_facts") as batch:
        for name in (
            "agenda_items",
            "members",
            "quorum_needed",
            "present",
            "agreed",
            "held",
            "quorate",
            "protocol_signed",
            "held_at",
        ):
            batch.drop_column(name)
    with op.batch_alter_table("referral_facts") as batch:
        for name in (
            "status",
            "local_quarter",
            "outcome",
            "outcome_reason",
            "acknowledgement_due_at",
            "acknowledged_at",
            "outcome_at",
            "overdue_at",
            "overdue",
            "consent_given",
            "consent_revoked",
        ):
            batch.drop_column(name)
    op.drop_index("ix_call_facts_local_quarter", "call_facts")
    op.drop_index("ix_call_facts_local_date", "call_facts")
    with op.batch_alter_table("call_facts") as batch:
        for name in (*CALL_TEXT, *CALL_INT, *CALL_BOOL):
            batch.drop_column(name)
