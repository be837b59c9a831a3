"""The keepers' directory page `/directory` over HTTP from a real referrals process (SQLite and
PostgreSQL): 50 entries a page, every entry on exactly one page, filters kept across pages."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys

import httpx
import pytest

from hotline_common.auth import SESSION_COOKIE, Role, TokenIssuer, generate_signing_keypair
from hotline_devstack.ports import free_port, wait_for_port
from hotline_devstack.testing import create_revocation_bucket, csrf_proof_sync, migrated_database, principal, wait_until
from referrals.database import MIGRATIONS
from referrals.directory import service as directory
from referrals.directory.demo import ORGANISATIONS, SERVICES, load_demo_directory

EXTRA = 100  # added to the demo's services, all to one organisation: it spans page boundaries
SERVICE_LINK = re.compile(r'href="/directory/services/([0-9a-f-]{36})"')


async def prepare(database_url: str) -> None:
    db = await migrated_database(MIGRATIONS, database_url)
    async with db.transaction() as session:
        await load_demo_directory(session)
        for n in range(EXTRA):
            await directory.create_service(
                session,
                principal("director"),
                {
                    "organisation_id": ORGANISATIONS[1][0],
                    "name": f"Psixoloq {n:03d}",
                    "service_type": "psychologist",
                    "region": "Quba",
                    "city": "Quba",
                    "languages": ["az"],
                    "opening_hours": "mon-fri 09:00-17:00",
                },
            )
    await db.dispose()


def ready(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture
def site(tmp_path, database_url, nats_server, namespace):
    asyncio.run(prepare(database_url))
    private, public = generate_signing_keypair()
    (tmp_path / "issuer.pub.pem").write_bytes(public)
    http_port, grpc_port = free_port(), free_port()
    env = dict(
        os.environ,
        HTTP_PORT=str(http_port),
        GRPC_PORT=str(grpc_port),
        DATABASE_URL=database_url,
        NATS_URL=nats_server.url,
        EVENTS_NAMESPACE=namespace,
        LOAD_DEMO_DATA="false",
        AUTH_PUBLIC_KEY_FILE=str(tmp_path / "issuer.pub.pem"),
        OTEL_TRACES_EXPORTER="none",
    )
    create_revocation_bucket(nats_server.url, namespace)  # intake's part: the list every service reads
    with open(tmp_path / "referrals.log", "ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "referrals", "serve"], env=env, stdout=log, stderr=log)
    try:
        wait_for_port(http_port, "127.0.0.1", 60)
        wait_until(lambda: ready(http_port), timeout=60, message="referrals ready (it has read the revocation list)")
        issuer = TokenIssuer(private, issuer="hotline-embedded", audience="hotline")
        token = issuer.issue(subject="director-1", role=Role.DIRECTOR, name="director")
        with httpx.Client(
            base_url=f"http://127.0.0.1:{http_port}",
            cookies={SESSION_COOKIE: token},
            timeout=30,
            event_hooks={"request": [csrf_proof_sync("referrals")]},  # the session's CSRF token, as pages send it
        ) as client:
            yield client
    finally:
        process.terminate()
        process.wait(20)


def listed(html: str) -> list[str]:
    """The services in the page's listing (the history below it links none)."""
    return SERVICE_LINK.findall(html.split('id="history"')[0])


def test_directory_pages_hold_50_entries_each_and_cover_everything_once(site):
    total = len(SERVICES) + EXTRA
    pages = -(-total // 50)
    seen: list[str] = []
    url = "/directory?lang=en"
    for number in range(1, pages + 1):
        response = site.get(url)
        assert response.status_code == 200, response.text
        html = response.text
        assert f"Page {number} / {pages}" in html
        on_page = listed(html)
        assert len(on_page) == (50 if number < pages else total - 50 * (pages - 1))
        seen += on_page
        assert ('id="page-prev"' in html) == (number > 1)
        next_link = re.search(r'id="page-next" href="([^"]+)"', html)
        if number < pages:
            url = next_link.group(1).replace("&amp;", "&")
        else:
            assert next_link is None
    assert len(seen) == len(set(seen)) == total
    # An organisation cut by a boundary is headed on both pages.
    second = site.get("/directory?page=2").text
    assert f'id="org-{ORGANISATIONS[1][0]}"' in second


def test_filters_are_kept_across_pages(site):
    first = site.get("/directory", params={"text": "Psixoloq 0", "lang": "ru"})
    assert first.status_code == 200
    assert "Страница 1 / 2" in first.text and len(listed(first.text)) == 50
    next_url = re.search(r'id="page-next" href="([^"]+)"', first.text).group(1).replace("&amp;", "&")
    assert "text=Psixoloq+0" in next_url and "page=2" in next_url
    second = site.get(next_url)
    assert len(listed(second.text)) == 50  # "Psixoloq 000" .. "Psixoloq 099": 100 matches
    assert not set(listed(first.text)) & set(listed(second.text))
    assert 'id="page-next"' not in second.text


def test_a_bad_page_number_is_refused_and_a_page_past_the_end_is_empty(site):
    for bad in ("0", "-1", "abc"):
        response = site.get("/directory", params={"page": bad, "lang": "en"})
        assert response.status_code == 422 and "No such page" in response.text
    past = site.get("/directory", params={"page": "99", "lang": "en"})
    assert past.status_code == 200 and listed(past.text) == [] and "Nothing found." in past.text


def test_hours_problems_read_in_the_page_language(site):
    """The hours parser's reason, translated, with the typed value kept (the service form, ru and az)."""
    form = {
        "organisation_id": ORGANISATIONS[1][0],
        "name": "Psixoloq (Quba)",
        "service_type": "psychologist",
        "region": "Quba",
        "city": "Quba",
        "languages": "az",
        "hours_mon": "25:00-26:00",
        "hours_tue": "09:00-09:00",
    }
    ru = site.post("/directory/services/new?lang=ru", data=form)
    assert ru.status_code == 422
    assert "25:00 — не время суток" in ru.text
    assert "&#39;09:00-09:00&#39;: время открытия и закрытия совпадает" in ru.text
    assert "is not a time of day" not in ru.text
    # The form still offers every organisation (names only, without loading their services).
    assert all(f'<option value="{org_id}"' in ru.text for org_id, *_ in ORGANISATIONS)
    az = site.post("/directory/services/new?lang=az", data=form)
    assert az.status_code == 422 and "25:00 günün vaxtı deyil" in az.text
