"""Where each role lands after signing in: the hotline's staff stay on the call screen, everyone else goes
to the screen of the service that is theirs (when its public URL is configured)."""

from hotline_common.auth import Permission, Principal, Role
from intake.settings import IntakeSettings

CALL_SCREEN = "/"


def other_screens(settings: IntakeSettings) -> dict[str, str]:
    """The other services' screens this deployment knows about (empty URL = not configured)."""
    screens = {
        "portal": (settings.referrals_public_url, "/portal"),
        "meetings": (settings.coordination_public_url, "/meetings"),
        "reports": (settings.reporting_public_url, "/"),
    }
    return {name: base.rstrip("/") + path for name, (base, path) in screens.items() if base}


ROLE_SCREEN = {
    Role.PARTNER: "portal",
    Role.COORDINATOR: "meetings",
    Role.WG_MEMBER: "meetings",
    Role.ANALYST: "reports",
}


def home_for(principal: Principal, settings: IntakeSettings) -> str:
    """The URL to send a freshly signed-in user to. Hotline staff, and anyone whose screen has no
    configured URL, get intake's own page (which explains and links what exists)."""
    if principal.can(Permission.CONTACT_RECORD):
        return CALL_SCREEN
    return other_screens(settings).get(ROLE_SCREEN.get(principal.role, ""), CALL_SCREEN)
