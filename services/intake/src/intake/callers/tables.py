"""The columns of other domains' tables the journal reads, as plain table clauses: the journal
reads contacts and alerts, it never owns or writes their rows (except a contact's caller link)."""

from sqlalchemy import JSON, Boolean, String, column, table

from hotline_common.db import UTCDateTime

contacts = table(
    "contacts",
    column("id", String),
    column("caller_id", String),
    column("anonymous", Boolean),
    column("operator_id", String),
    column("line", String),
    column("caller_role", String),
    column("purpose", String),
    column("motive", String),
    column("destination_country", String),
    column("risk_level", String),
    column("exploitation_types", JSON),
    column("started_at", UTCDateTime),
    column("follow_up_needed", Boolean),
    column("follow_up_due_at", UTCDateTime),
    column("follow_up_done_at", UTCDateTime),
)

screening_alerts = table(
    "screening_alerts",
    column("id", String),
    column("contact_id", String),
    column("caller_id", String),
    column("risk_level", String),
    column("indicator_groups", JSON),
    column("operator_id", String),
    column("police_report", String),
    column("raised_at", UTCDateTime),
    column("closed_at", UTCDateTime),
)

contact_agencies = table("vault_contact_agencies", column("contact_id", String))
