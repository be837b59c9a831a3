"""Referrals' runtime, built once at start: the shared runtime plus what referrals' handlers use
(the referral policy, sign-in at the issuer, the page kit, the deadline check, the demo directory).
Handlers receive it, or its parts, as typed dependencies (`referrals.deps`)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from hotline_common.resources import package_dir
from hotline_common.runtime import ServiceRuntime
from hotline_common.web.pages import Pages, install_pages
from hotline_common.web.signin import IssuerEndpoint
from referrals.database import MIGRATIONS
from referrals.directory.demo import load_demo_directory
from referrals.directory.hours import DAYS
from referrals.directory.schemas import ELIGIBILITY, LANGUAGES, ORGANISATION_KINDS, REGIONS, SERVICE_TYPES
from referrals.i18n import translator
from referrals.referral.deadlines import DeadlineCheck
from referrals.referral.lifecycle import REASONS
from referrals.referral.policy import Policy
from referrals.settings import ReferralsSettings

# Never let a page be cached or leak its URL to another site: the one-time link pages carry a token
# in their address, the portal's carry consented personal data.
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
TEMPLATES = (package_dir("referrals", "portal", "templates"), package_dir("referrals", "directory", "templates"))
# The code lists the pages offer (`languages` is the page kit's: the languages of the pages themselves).
PAGE_GLOBALS = {
    "service_types": SERVICE_TYPES,
    "kinds": ORGANISATION_KINDS,
    "language_codes": LANGUAGES,
    "eligibility": ELIGIBILITY,
    "regions": REGIONS,
    "days": DAYS,
    "reason_codes": REASONS,
}


class ReferralsRuntime(ServiceRuntime[ReferralsSettings]):
    def __init__(self, settings: ReferralsSettings):
        super().__init__("referrals", settings, MIGRATIONS, title="Hotline referrals")
        # Deadlines, link lifetime and the keyring for consented data and notes, for every interface.
        self.policy = Policy.from_settings(settings)
        self.zone = settings.timezone
        self.public_base_url = settings.public_base_url.rstrip("/")
        # The portal's and the directory's sign-in forms post to the issuer's token endpoint.
        self.sign_in = IssuerEndpoint(settings.auth_token_url)
        self.pages = Pages(
            translator(), TEMPLATES, zone=ZoneInfo(settings.timezone), globals=PAGE_GLOBALS, headers=PRIVATE_HEADERS
        )
        install_pages(self.app, self.pages)
        self.deadlines = DeadlineCheck(self.db, settings.overdue_check_seconds)
        self.startup_hooks.append(self.deadlines.start)
        self.shutdown_hooks.append(self.deadlines.stop)
        if settings.load_demo_data:
            self.startup_hooks.append(self.load_demo_data)

    async def load_demo_data(self) -> None:
        async with self.db.transaction() as session:
            await load_demo_directory(session)
