"""Indexes in the keepers' directory page order (organisation name, id; then each organisation's
services by region, name, id): a page is an index walk that stops after 50 rows, not a sort of the
whole directory.

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    op.create_index("ix_organisations_name_id", "organisations", ["name", "id"])
    op.create_index(
        "ix_directory_organisation_region_name_id", "directory_services", ["organisation_id", "region", "name", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_directory_organisation_region_name_id", table_name="directory_services")
    op.drop_index("ix_organisations_name_id", table_name="organisations")
