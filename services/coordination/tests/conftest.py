import pytest

from coordination.database import MIGRATIONS
from coordination.members import service as members
from hotline_devstack.testing import migrated_database


@pytest.fixture
async def db(database_url):
    """coordination's database at its newest migration with the demo Working Group, on SQLite and
    on PostgreSQL."""
    database = await migrated_database(MIGRATIONS, database_url)
    async with database.transaction() as session:
        await members.load_demo_members(session)
    yield database
    await database.dispose()
