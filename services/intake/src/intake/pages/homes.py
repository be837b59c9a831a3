"""Where each person lands and which screens they are shown, decided by permission: the hotline's staff
stay on the call screen, everyone else goes to the screen of the service that is theirs (when its public
URL is configured). The one table of intake's sections and of the other services' screens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hotline_common.auth import Permission, Principal
from hotline_common.i18n_markers import N_
from intake.settings import IntakeSettings

CALL_SCREEN = "/"
# The technical operator's own screen at intake: the accounts of the built-in issuer (intake.admin).
ACCOUNTS_SCREEN = "/admin/accounts"


@dataclass(frozen=True)
class Screen:
    label: str  # a msgid
    base_url: Callable[[IntakeSettings], str]  # the service's public base URL setting
    path: str
    permission: Permission  # who this screen is for


# In order of precedence: someone with several of these permissions is sent to the first.
SCREENS = (
    Screen(N_("Partner portal"), lambda s: s.referrals_public_url, "/portal", Permission.REFERRAL_READ_OWN_ORG),
    Screen(N_("Working group meetings"), lambda s: s.coordination_public_url, "/meetings", Permission.WG_READ),
    Screen(N_("Statistics and reports"), lambda s: s.reporting_public_url, "/", Permission.STATS_READ),
)

# Intake's own sections, as the navigation shows them to whoever may open them.
SECTIONS = (
    (N_("Call"), "/", Permission.CONTACT_RECORD),
    (N_("Contacts"), "/contacts", Permission.CONTACT_READ),
    (N_("Advice scripts"), "/scripts", Permission.CONTACT_READ),
    (N_("Live board"), "/director", Permission.HOTLINE_SUPERVISE),
    (N_("Access audit"), "/director/audit", Permission.AUDIT_READ),
    (N_("Staff accounts"), "/director/staff", Permission.HOTLINE_SUPERVISE),
    (N_("Accounts"), ACCOUNTS_SCREEN, Permission.ACCOUNTS_MANAGE),
)


def screen_url(screen: Screen, settings: IntakeSettings) -> str:
    """The screen's URL in this deployment, "" when its service's public URL is not configured."""
    base = screen.base_url(settings)
    return base.rstrip("/") + screen.path if base else ""


def other_screens(settings: IntakeSettings) -> dict[str, str]:
    """The other services' screens this deployment knows about: label msgid → URL."""
    return {screen.label: url for screen in SCREENS if (url := screen_url(screen, settings))}


def refused_links(principal: Principal, settings: IntakeSettings) -> dict[str, str]:
    """What the refusal page links: for the hotline's staff nothing (their sections are in the page's
    navigation), for everyone else the other services' screens."""
    return {} if principal.can(Permission.CONTACT_READ) else other_screens(settings)


def home_for(principal: Principal, settings: IntakeSettings) -> str:
    """The URL to send a freshly signed-in user to. Hotline staff, and anyone whose screen has no
    configured URL, get intake's own page (which explains and links what exists); the technical
    operator gets intake's accounts page."""
    if principal.can(Permission.CONTACT_RECORD):
        return CALL_SCREEN
    if principal.can(Permission.ACCOUNTS_MANAGE):
        return ACCOUNTS_SCREEN
    screen = next((s for s in SCREENS if principal.can(s.permission)), None)
    return (screen_url(screen, settings) if screen else "") or CALL_SCREEN


def sections(principal: object) -> list[tuple[str, str]]:
    """The navigation's (label msgid, URL) pairs for a page's principal (None signed out)."""
    if not isinstance(principal, Principal):
        return []
    return [(label, url) for label, url, permission in SECTIONS if principal.can(permission)]
