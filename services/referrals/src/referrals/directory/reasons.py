"""Field problems in the reader's language on the directory pages. The service layer gives reasons
in English (what the API answers); the pages recognise the hours parser's templates (hours.REASONS,
with the offending value kept as typed) and the directory's fixed reasons, and show the translation.
A reason not known here is shown as it is."""

from __future__ import annotations

import re
from collections.abc import Callable

from referrals.directory import hours

# msgid "reason:<code>" -> the English template; the catalogs hold the same placeholders.
TEMPLATES: dict[str, str] = {f"hours_{code}": text for code, text in hours.REASONS.items()}
# Fixed reasons of the directory's own rules and validators (schemas.py, service.py, pages.py).
FIXED: dict[str, str] = {
    "blank": "must not be blank",
    "phone": "digits, spaces, + ( ) - only",
    "email": "not an e-mail address",
    "website": "must start with http:// or https://",
    "coordinates": "give both latitude and longitude, or neither",
    "places_only_shelters": "only shelters have places",
    "places_over_capacity": "more than the capacity",
    "whole_number": "a whole number, 0 or more",
    "required": "Field required",
}
TEMPLATES.update(FIXED)

_PLACEHOLDER = re.compile(r"\\\{(\w+)\\\}")
_PATTERNS = [
    (code, re.compile("^" + _PLACEHOLDER.sub(r"(?P<\1>.+)", re.escape(text)) + "$")) for code, text in TEMPLATES.items()
]


def msgids() -> set[str]:
    return {f"reason:{code}" for code in TEMPLATES}


def translate(reason: str, gettext: Callable[[str], str]) -> str:
    for code, pattern in _PATTERNS:
        match = pattern.match(reason)
        if match:
            template = gettext(f"reason:{code}")
            if template == f"reason:{code}":  # no translation: the English as given
                return reason
            return template.format(**match.groupdict())
    return reason
