"""Signing in on intake's page sends each role to its own screen (real HTTP routing, real tokens from
the built-in issuer, SQLite and PostgreSQL); without the other services' URLs everyone stays on intake,
and a non-staff user there sees the hotline-staff notice with links to the screens that exist."""

import httpx
import pytest

from hotline_common.auth import generate_signing_keypair
from hotline_common.crypto import FieldCipher
from hotline_devstack.testing import migrated_database
from intake.accounts.service import load_demo_accounts
from intake.app import build_runtime
from intake.database import MIGRATIONS
from intake.settings import IntakeSettings

URLS = {
    "referrals_public_url": "https://referrals.example.az/",
    "coordination_public_url": "https://coordination.example.az",
    "reporting_public_url": "https://reporting.example.az",
}


@pytest.fixture
async def intake_app(database_url, tmp_path):
    db = await migrated_database(MIGRATIONS, database_url)
    async with db.transaction() as session:
        await load_demo_accounts(session)
    await db.dispose()
    private, public = generate_signing_keypair()
    (tmp_path / "signing.pem").write_bytes(private)
    (tmp_path / "public.pem").write_bytes(public)
    runtimes = []

    def start(**urls):
        settings = IntakeSettings(
            http_port=1,
            grpc_port=2,
            database_url=database_url,
            encryption_keyring=FieldCipher.generate_keyring(),
            referrals_grpc_target="127.0.0.1:1",
            auth_public_key_file=str(tmp_path / "public.pem"),
            auth_signing_key_file=str(tmp_path / "signing.pem"),
            migrate_on_start=False,
            **urls,
        )
        runtime = build_runtime(settings)
        runtimes.append(runtime)
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=runtime.app), base_url="http://intake")

    yield start
    for runtime in runtimes:
        await runtime.db.dispose()


async def sign_in(client: httpx.AsyncClient, username: str) -> httpx.Response:
    return await client.post("/login", data={"username": username, "password": f"{username}-demo"})


@pytest.mark.parametrize(
    "username, home",
    [
        ("operator", "/"),
        ("director", "/"),
        ("partner", "https://referrals.example.az/portal"),
        ("coordinator", "https://coordination.example.az/meetings"),
        ("wgmember", "https://coordination.example.az/meetings"),
        ("analyst", "https://reporting.example.az/"),
    ],
)
async def test_each_role_is_sent_to_its_home(intake_app, username, home):
    response = await sign_in(intake_app(**URLS), username)
    assert response.status_code == 303
    assert response.headers["location"] == home
    assert "session" in response.headers["set-cookie"].lower()


async def test_without_the_urls_everyone_stays_on_intake_and_sees_the_notice(intake_app):
    client = intake_app()
    response = await sign_in(client, "partner")
    assert (response.status_code, response.headers["location"]) == (303, "/")
    page = await client.get("/", cookies=response.cookies)
    assert page.status_code == 403
    assert "qaynar xəttin əməkdaşları" in page.text and "/portal" not in page.text


async def test_the_notice_links_the_screens_that_exist(intake_app):
    client = intake_app(**URLS)
    response = await sign_in(client, "analyst")
    page = await client.get("/?lang=en", cookies=response.cookies)
    assert page.status_code == 403
    assert "This screen is for hotline staff" in page.text
    assert 'href="https://reporting.example.az/"' in page.text and "Statistics and reports" in page.text
    assert 'href="https://referrals.example.az/portal"' in page.text


async def test_a_wrong_password_stays_on_the_sign_in_page(intake_app):
    response = await intake_app(**URLS).post("/login", data={"username": "partner", "password": "nope"})
    assert response.status_code == 401 and "location" not in response.headers
