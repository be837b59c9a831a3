import pytest

from hotline_common.crypto import FieldCipher
from hotline_devstack.testing import migrated_database
from intake.database import MIGRATIONS


@pytest.fixture
async def db(database_url):
    """intake's database at its newest migration, on SQLite and on PostgreSQL."""
    database = await migrated_database(MIGRATIONS, database_url)
    yield database
    await database.dispose()


@pytest.fixture
def cipher() -> FieldCipher:
    return FieldCipher(FieldCipher.generate_keyring("k1"))
