import httpx
import pytest

from hotline_common.auth import Role, TokenIssuer, generate_signing_keypair
from hotline_common.crypto import FieldCipher
from hotline_devstack.testing import migrated_database
from intake.accounts.service import load_demo_accounts
from intake.app import build_runtime
from intake.database import MIGRATIONS
from intake.settings import IntakeSettings


@pytest.fixture
async def db(database_url):
    """intake's database at its newest migration, on SQLite and on PostgreSQL."""
    database = await migrated_database(MIGRATIONS, database_url)
    yield database
    await database.dispose()


@pytest.fixture
def cipher() -> FieldCipher:
    return FieldCipher(FieldCipher.generate_keyring("k1"))


@pytest.fixture
async def intake_runtime(database_url, tmp_path):
    """Builds intake in process on a migrated database with the demo accounts and a fresh issuer key:
    `runtime, issuer = await intake_runtime(**more_settings)` (the issuer signs test tokens)."""
    built = []

    async def build(**more_settings):
        db = await migrated_database(MIGRATIONS, database_url)
        async with db.transaction() as session:
            await load_demo_accounts(session)
        await db.dispose()
        private, public = generate_signing_keypair()
        (tmp_path / "signing.pem").write_bytes(private)
        (tmp_path / "public.pem").write_bytes(public)
        settings = IntakeSettings(
            http_port=1,
            grpc_port=2,
            database_url=database_url,
            encryption_keyring=FieldCipher.generate_keyring(),
            referrals_grpc_target="127.0.0.1:1",
            auth_public_key_file=str(tmp_path / "public.pem"),
            auth_signing_key_file=str(tmp_path / "signing.pem"),
            migrate_on_start=False,
            **more_settings,
        )
        runtime = build_runtime(settings)
        built.append(runtime)
        return runtime, TokenIssuer(private, issuer=settings.auth_issuer, audience=settings.auth_audience)

    yield build
    for runtime in built:
        await runtime.db.dispose()


@pytest.fixture
async def api(intake_runtime):
    """The intake app in process with the demo accounts; `api.client(subject, role)` is an HTTP
    client with a real token from a test issuer."""
    runtime, issuer = await intake_runtime()

    def client(subject: str, role: Role) -> httpx.AsyncClient:
        token = issuer.issue(subject=subject, role=role, name=str(role))
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=runtime.app),
            base_url="http://intake",
            headers={"Authorization": f"Bearer {token}"},
        )

    runtime.client = client
    return runtime
