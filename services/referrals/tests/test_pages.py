"""Referrals' pages on the shared page kit, in-process (the app `build_runtime` builds, over httpx's ASGI
transport, SQLite): the portal's and the directory's sign-in at their own URLs (a stand-in token
endpoint issues real tokens), the partners-only admission, sign-out in both areas, the gate's `next`
and refusals in the area's own frame, the link pages' private headers, and refused steps told in
the page's language."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx

from hotline_common.auth import SESSION_COOKIE, Role, TokenIssuer
from hotline_common.demo import PARTNER_ORGANISATION_ID
from hotline_devstack.testing import csrf_proof, principal
from referrals.directory.demo import service_id
from referrals.referral import service as referrals
from referrals.referral.schemas import ReferralCreate
from referrals.runtime import ReferralsRuntime

ACCOUNTS = {"partner": Role.PARTNER, "operator": Role.OPERATOR, "director": Role.DIRECTOR}
OWN_SERVICE = service_id(2)  # the demo partner's organisation's


def token(issuer: TokenIssuer, username: str) -> str:
    org = PARTNER_ORGANISATION_ID if username == "partner" else None
    return issuer.issue(subject=f"{username}-1", role=ACCOUNTS[username], name=username, organisation_id=org)


def browser(runtime: ReferralsRuntime, issuer: TokenIssuer | None = None, username: str = "") -> httpx.AsyncClient:
    hooks = {"request": [csrf_proof("referrals")]}  # the session's CSRF token, as the pages send it
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=runtime.app), base_url="http://referrals.test", event_hooks=hooks
    )
    if issuer and username:
        client.cookies.set(SESSION_COOKIE, token(issuer, username))
    return client


def next_of(response: httpx.Response) -> tuple[str, list[str]]:
    target = urlsplit(response.headers["location"])
    return target.path, parse_qs(target.query).get("next", [])


async def test_signed_out_pages_send_to_their_own_sign_in_and_back(runtime):
    async with browser(runtime) as client:
        portal = await client.get("/portal")
        assert portal.status_code == 303 and next_of(portal) == ("/portal/login", ["/portal"])
        directory = await client.get("/directory/services/new?organisation_id=x")
        assert directory.status_code == 303
        assert next_of(directory) == ("/directory/login", ["/directory/services/new?organisation_id=x"])
        places = await client.get("/directory/places")
        assert next_of(places) == ("/directory/login", ["/directory/places"])
        form = await client.get("/directory/login?next=/directory/places")
        assert form.status_code == 200 and 'action="/directory/login"' in form.text
        assert "Xidmətlər kataloqu" in form.text and "/directory/static/directory.css" in form.text
        assert 'name="next" value="/directory/places"' in form.text
        form = await client.get("/portal/login?lang=ru")
        assert 'action="/portal/login"' in form.text and "Портал партнёров" in form.text


async def test_the_portal_admits_partners_only_and_signs_out(runtime):
    async with browser(runtime) as client:
        refused = await client.post("/portal/login", data={"username": "operator", "password": "operator-demo"})
        assert refused.status_code == 403 and SESSION_COOKIE not in client.cookies
        assert 'role="alert">Bu portal tərəfdaş təşkilatlar üçündür<' in refused.text
        wrong = await client.post("/portal/login?lang=en", data={"username": "partner", "password": "nope"})
        assert wrong.status_code == 401 and "Wrong username or password" in wrong.text
        signed = await client.post(
            "/portal/login", data={"username": "partner", "password": "partner-demo", "next": "/portal"}
        )
        assert signed.status_code == 303 and signed.headers["location"] == "/portal"
        page = await client.get("/portal")
        assert page.status_code == 200 and 'action="/portal/logout"' in page.text
        out = await client.post("/portal/logout")
        assert out.status_code == 303 and out.headers["location"] == "/portal/login"
        assert SESSION_COOKIE not in client.cookies
        assert (await client.get("/portal")).status_code == 303


async def test_the_directory_signs_in_to_each_ones_page_and_signs_out(runtime):
    for username, home in (("director", "/directory"), ("partner", "/directory/places")):
        async with browser(runtime) as client:
            signed = await client.post("/directory/login", data={"username": username, "password": f"{username}-demo"})
            assert signed.status_code == 303 and signed.headers["location"] == home
            page = await client.get(home)
            assert page.status_code == 200 and 'action="/directory/logout"' in page.text
            out = await client.post("/directory/logout")
            assert out.status_code == 303 and out.headers["location"] == "/directory/login"
            assert SESSION_COOKIE not in client.cookies
            assert (await client.get(home)).status_code == 303


async def test_refusals_come_in_the_areas_own_frame(runtime, keys):
    async with browser(runtime, keys[0], "operator") as client:
        directory = await client.get("/directory?lang=ru")
        assert directory.status_code == 403
        assert "Эту страницу могут открыть только те, кто ведёт справочник" in directory.text
        assert 'action="/directory/logout"' in directory.text and "directory.css" in directory.text
        portal = await client.get("/portal/referrals/x?lang=az")
        assert portal.status_code == 403 and "Bu portal tərəfdaş təşkilatlar üçündür" in portal.text
        assert 'action="/portal/logout"' in portal.text and "portal.css" in portal.text


async def test_link_pages_are_private_and_refuse_a_bad_token_alike(runtime):
    async with browser(runtime) as client:
        for answer in (await client.get("/link/not-a-token?lang=en"), await client.post("/link/x/acknowledge")):
            assert answer.status_code == 410 and "This link cannot be used" in answer.text
            assert answer.headers["cache-control"] == "no-store"
            assert answer.headers["referrer-policy"] == "no-referrer"


async def test_a_refused_step_is_told_in_the_page_language(runtime, keys):
    async with runtime.db.transaction() as session:
        data = ReferralCreate(contact_id=_uuid(1), service_id=OWN_SERVICE, reason="support", urgency="urgent")
        referral = await referrals.create_referral(session, principal("operator"), data, runtime.policy)
    async with browser(runtime, keys[0], "partner") as client:
        ack = await client.post(f"/portal/referrals/{referral.id}/status", data={"to_status": "acknowledged"})
        assert ack.status_code == 303
        declined = await client.post(f"/portal/referrals/{referral.id}/status?lang=ru", data={"to_status": "declined"})
        assert declined.status_code == 422
        assert "для отказа нужен код причины: no_capacity" in declined.text
        assert "declining needs" not in declined.text
        skipped = await client.post(f"/portal/referrals/{referral.id}/status?lang=az", data={"to_status": "completed"})
        assert skipped.status_code == 409 and "göndəriş acknowledged statusundan completed" in skipped.text


async def test_directory_field_problems_are_told_in_the_page_language(runtime, keys):
    form = {"organisation_id": PARTNER_ORGANISATION_ID, "name": "", "service_type": "psychologist"}
    form |= {"region": "Baku", "city": "Bakı", "languages": "az", "phone": "tel:1", "website": "example.org"}
    async with browser(runtime, keys[0], "director") as client:
        az = await client.post("/directory/services/new?lang=az", data=form)
        assert az.status_code == 422
        assert "yalnız rəqəmlər, boşluq, + ( ) -" in az.text and "http:// və ya https:// ilə başlamalıdır" in az.text
        assert "ən azı 1 simvol olmalıdır" in az.text
        assert "digits, spaces" not in az.text and "String should" not in az.text
        places = await client.post(f"/directory/places/{service_id(4)}?lang=ru", data={"free_places": "lots"})
        assert places.status_code == 422 and "целое число, 0 или больше" in places.text


def _uuid(n: int) -> str:
    return f"0190a000-0000-7000-a000-{n:012d}"
