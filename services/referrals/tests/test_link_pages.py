"""One-time link pages, in-process: opening the address (what link previewers and mail scanners do)
shows nothing of the referral, logs nothing and uses nothing up; the referral and its consented
values appear only in answer to the page's button (a POST), and that showing is logged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import func, select

from hotline_devstack.testing import principal
from referrals.consent.models import SharedDataRead
from referrals.directory.demo import service_id
from referrals.links import service as links
from referrals.links.models import ReferralLink
from referrals.referral import service as referrals
from referrals.referral.schemas import ConsentIn, ReferralCreate
from referrals.runtime import ReferralsRuntime

NAME, PHONE = "Nərmin Əliyeva", "+994 70 222 33 44"
NEED = "legal advice about withheld wages"
OPERATOR = principal("operator", subject="op-1")


async def referral_with_link(runtime: ReferralsRuntime) -> tuple[str, str]:
    consent = ConsentIn(
        fields=["name", "phone"],
        purpose="legal advice",
        valid_until=datetime.now(UTC) + timedelta(days=30),
        data={"name": NAME, "phone": PHONE},
    )
    data = ReferralCreate(
        contact_id="0190a000-0000-7000-a000-000000000101",
        service_id=service_id(3),
        reason=NEED,
        urgency="urgent",
        consent=consent,
    )
    async with runtime.db.transaction() as session:
        referral = await referrals.create_referral(
            session, OPERATOR, data, runtime.policy, via_service=referrals.CONSENT_SOURCE
        )
        token, _ = await links.issue_link(session, OPERATOR, referral.id, runtime.policy)
    return referral.reference, token


async def reads_and_used(runtime: ReferralsRuntime) -> tuple[int, int]:
    async with runtime.db.reader() as session:
        reads = await session.scalar(select(func.count()).select_from(SharedDataRead))
        used = await session.scalar(select(func.count()).where(ReferralLink.used_at.is_not(None)))
    return reads or 0, used or 0


def client(runtime: ReferralsRuntime) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=runtime.app), base_url="http://referrals.test")


async def test_opening_the_link_shows_nothing_until_the_button_is_pressed(runtime):
    reference, token = await referral_with_link(runtime)
    async with client(runtime) as browser:
        for _ in range(2):  # a mail scanner, then the link previewer: the same empty page
            opened = await browser.get(f"/link/{token}?lang=en")
            assert opened.status_code == 200
            for secret in (NAME, PHONE, NEED, reference):
                assert secret not in opened.text, f"{secret!r} shown to whoever fetches the link"
            assert f'action="/link/{token}/view"' in opened.text and 'id="open-referral"' in opened.text
            assert opened.headers["cache-control"] == "no-store"
        assert await reads_and_used(runtime) == (0, 0), "a GET logs no read and uses nothing up"

        shown = await browser.post(f"/link/{token}/view?lang=en")
        assert shown.status_code == 200
        assert NAME in shown.text and PHONE in shown.text and NEED in shown.text
        assert await reads_and_used(runtime) == (1, 0), "the showing is logged; the link stays usable"

        acknowledged = await browser.post(f"/link/{token}/acknowledge?lang=en")
        assert acknowledged.status_code == 200, "answered with the referral, not sent back to the empty GET"
        assert 'id="status" class="status status-acknowledged"' in acknowledged.text and NAME in acknowledged.text
        assert (await browser.get(f"/link/{token}")).status_code == 200


async def test_a_bad_link_is_refused_alike_on_get_and_on_the_button(runtime):
    async with client(runtime) as browser:
        for answer in (await browser.get("/link/not-a-token?lang=en"), await browser.post("/link/x/view?lang=en")):
            assert answer.status_code == 410 and "This link cannot be used" in answer.text
