"""The built-in issuer's client-credentials grant (intake.accounts.clients): the other services get
their own short-lived `service` token for a client id and secret at the staff's token endpoint,
whose JSON sign-in stays as it is. The intake app in process over httpx's ASGI transport, SQLite."""

import httpx
import pytest

from hotline_common.auth import Role, TokenVerifier, generate_signing_keypair
from hotline_common.crypto import FieldCipher
from hotline_common.errors import DependencyUnavailable
from hotline_common.service_identity import ClientCredentialsTokens, new_client_secret, secret_digest
from hotline_devstack.testing import migrated_database
from intake.accounts.service import load_demo_accounts
from intake.app import build_runtime
from intake.database import MIGRATIONS
from intake.settings import IntakeSettings

TOKEN_URL = "http://intake/api/v1/auth/token"


@pytest.fixture
async def issuer(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'intake.db'}"
    db = await migrated_database(MIGRATIONS, url)
    async with db.transaction() as session:
        await load_demo_accounts(session)
    await db.dispose()
    private, public = generate_signing_keypair()
    (tmp_path / "signing.pem").write_bytes(private)
    (tmp_path / "public.pem").write_bytes(public)
    secret = new_client_secret()
    (tmp_path / "clients").write_text(f"# the services' own identities\nreporting:{secret_digest(secret)}\n")
    settings = IntakeSettings(
        http_port=1,
        grpc_port=2,
        database_url=url,
        encryption_keyring=FieldCipher.generate_keyring(),
        referrals_grpc_target="127.0.0.1:1",
        auth_public_key_file=str(tmp_path / "public.pem"),
        auth_signing_key_file=str(tmp_path / "signing.pem"),
        service_clients_file=str(tmp_path / "clients"),
        migrate_on_start=False,
    )
    runtime = build_runtime(settings)
    verifier = TokenVerifier(issuer=settings.auth_issuer, audience=settings.auth_audience, public_key_pem=public)
    transport = httpx.ASGITransport(app=runtime.app)
    yield transport, secret, verifier
    await runtime.db.dispose()


def grant(client_id: str, client_secret: str, grant_type: str = "client_credentials") -> dict:
    return {"grant_type": grant_type, "client_id": client_id, "client_secret": client_secret}


async def test_a_known_client_gets_a_short_lived_service_token(issuer):
    transport, secret, verifier = issuer
    async with httpx.AsyncClient(transport=transport) as client:
        answer = await client.post(TOKEN_URL, data=grant("reporting", secret))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["role"] == "service" and body["token_type"] == "bearer" and body["expires_in"] <= 300
    principal = await verifier.verify(body["access_token"])
    assert (principal.role, principal.subject) == (Role.SERVICE, "reporting")


@pytest.mark.parametrize(
    "form",
    [
        grant("reporting", "wrong"),
        grant("coordination", "anything"),  # not a client of this issuer
        grant("reporting", "x", "authorization_code"),
        grant("operator", "operator-demo", "password"),  # a person's password is not a client secret
    ],
)
async def test_a_wrong_secret_an_unknown_client_or_another_grant_gets_no_token(issuer, form):
    transport, _, _ = issuer
    async with httpx.AsyncClient(transport=transport) as client:
        answer = await client.post(TOKEN_URL, data=form)
    assert answer.status_code == 401, answer.text
    assert "access_token" not in answer.text


async def test_the_staffs_json_sign_in_at_the_same_endpoint_is_unchanged(issuer):
    transport, _, verifier = issuer
    async with httpx.AsyncClient(transport=transport) as client:
        answer = await client.post(TOKEN_URL, json={"username": "operator", "password": "operator-demo"})
        schema = (await client.get("http://intake/openapi.json")).json()
    assert answer.status_code == 200, answer.text
    assert (await verifier.verify(answer.json()["access_token"])).role == Role.OPERATOR
    body = schema["paths"]["/api/v1/auth/token"]["post"]["requestBody"]["content"]
    assert list(body) == ["application/json"]


async def test_a_service_fetches_its_token_once_and_reuses_it(issuer):
    transport, secret, verifier = issuer
    source = ClientCredentialsTokens(TOKEN_URL, "reporting", secret, transport=transport)
    first = await source.token()
    assert await source.token() == first
    assert (await verifier.verify(first)).subject == "reporting"
    with pytest.raises(DependencyUnavailable, match="did not give reporting a service token"):
        await ClientCredentialsTokens(TOKEN_URL, "reporting", "wrong", transport=transport).token()
