"""Directory details: contacts, coordinates, eligibility, shelter places, active flags, opening
hours per weekday (for "open now"), and the history of every change.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from hotline_common.db import UTCDateTime

revision = "0004"
down_revision = "0003"

TRUE = sa.true()


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("phone", sa.String(50), nullable=False, server_default=""))
        batch.add_column(sa.Column("email", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("website", sa.String(300), nullable=False, server_default=""))
        batch.add_column(sa.Column("active", sa.Boolean, nullable=False, server_default=TRUE))
        batch.add_column(sa.Column("updated_at", UTCDateTime, nullable=True))
    for _name, column in (
        ("email", sa.Column("email", sa.String(200), nullable=False, server_default="")),
        ("website", sa.Column("website", sa.String(300), nullable=False, server_default="")),
        ("latitude", sa.Column("latitude", sa.Float, nullable=True)),
        ("longitude", sa.Column("longitude", sa.Float, nullable=True)),
        ("for_women", sa.Column("for_women", sa.Boolean, nullable=False, server_default=TRUE)),
        ("for_men", sa.Column("for_men", sa.Boolean, nullable=False, server_default=TRUE)),
        ("for_children", sa.Column("for_children", sa.Boolean, nullable=False, server_default=TRUE)),
        ("for_foreigners", sa.Column("for_foreigners", sa.Boolean, nullable=False, server_default=TRUE)),
        ("capacity", sa.Column("capacity", sa.Integer, nullable=True)),
        ("free_places", sa.Column("free_places", sa.Integer, nullable=True)),
        ("free_places_updated_at", sa.Column("free_places_updated_at", UTCDateTime, nullable=True)),
        ("active", sa.Column("active", sa.Boolean, nullable=False, server_default=TRUE)),
        ("updated_at", sa.Column("updated_at", UTCDateTime, nullable=True)),
    ):
        op.add_column("directory_services", column)
    if op.get_bind().dialect.name == "postgresql":
        # Canonical hours of irregular schedules outgrow 100 characters (SQLite does not enforce lengths).
        op.alter_column("directory_services", "opening_hours", type_=sa.String(400))
    # Search during a call: the need and region first, ordered as shown (region, name).
    op.drop_index("ix_directory_type_region", table_name="directory_services")
    # With the id last, an index walk gives the search's exact order and stops after `limit` matches.
    op.create_index("ix_directory_type_region_name_id", "directory_services", ["service_type", "region", "name", "id"])
    op.create_index("ix_directory_region_name_id", "directory_services", ["region", "name", "id"])
    op.create_index("ix_directory_organisation", "directory_services", ["organisation_id"])
    op.create_table(
        "directory_opening_hours",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("service_id", sa.String(36), sa.ForeignKey("directory_services.id"), nullable=False),
        sa.Column("weekday", sa.Integer, nullable=False),
        sa.Column("opens", sa.Integer, nullable=False),
        sa.Column("closes", sa.Integer, nullable=False),
    )
    op.create_index("ix_directory_hours_service_day", "directory_opening_hours", ["service_id", "weekday", "opens"])
    op.create_table(
        "directory_changes",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("entity", sa.String(20), nullable=False),
        sa.Column("entity_id", sa.String(36), nullable=False),
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("actor_role", sa.String(30), nullable=False),
        sa.Column("actor_name", sa.String(200), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("before", sa.Text, nullable=True),
        sa.Column("after", sa.Text, nullable=True),
    )
    op.create_index("ix_directory_changes_entity_at", "directory_changes", ["entity_id", "at"])
    op.create_index("ix_directory_changes_org_at", "directory_changes", ["organisation_id", "at"])
    _fill_hours()


def _fill_hours() -> None:
    """Spans for services stored before this revision (their hours text stays as it was)."""
    from referrals.directory import hours

    bind = op.get_bind()
    table = sa.table(
        "directory_opening_hours",
        sa.column("service_id"),
        sa.column("weekday"),
        sa.column("opens"),
        sa.column("closes"),
    )
    rows = []
    for service_id, text in bind.execute(sa.text("SELECT id, opening_hours FROM directory_services")):
        try:
            week = hours.parse(text)
        except ValueError:
            continue
        rows += [
            {"service_id": service_id, "weekday": day, "opens": o, "closes": c}
            for day, spans in week.items()
            for o, c in spans
        ]
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table("directory_changes")
    op.drop_table("directory_opening_hours")
    op.drop_index("ix_directory_organisation", table_name="directory_services")
    op.drop_index("ix_directory_region_name_id", table_name="directory_services")
    op.drop_index("ix_directory_type_region_name_id", table_name="directory_services")
    op.create_index("ix_directory_type_region", "directory_services", ["service_type", "region"])
    with op.batch_alter_table("directory_services") as batch:
        for name in (
            "updated_at",
            "active",
            "free_places_updated_at",
            "free_places",
            "capacity",
            "for_foreigners",
            "for_children",
            "for_men",
            "for_women",
            "longitude",
            "latitude",
            "website",
            "email",
        ):
            batch.drop_column(name)
    with op.batch_alter_table("organisations") as batch:
        for name in ("updated_at", "active", "website", "email", "phone"):
            batch.drop_column(name)
