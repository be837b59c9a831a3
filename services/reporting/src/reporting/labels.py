"""Labels of the codes the tables show, in az/en/ru.

Codes stay the data (downloads keep them for machines); people read labels. The code lists reporting
counts belong to intake, referrals and coordination: they are `hotline_common.codes`, labelled in the
shared catalogs under `<list>:<code>`, which reporting's translator falls back to. Reporting's own
lists (yes/no) are labelled in its catalogs under `label:<dimension>:<code>`; countries by Babel's
names. An unknown code is shown as it is."""

from __future__ import annotations

from collections.abc import Callable

from babel import Locale

from hotline_common import codes
from reporting.i18n import translator

COUNTRY_DIMENSIONS = ("destination_country", "citizenship", "country", "prs_Citizenship")
YES_NO_DIMENSIONS = ("crisis", "returning_caller", "overdue")
# A dimension -> the shared code list its codes come from (the list name is its labels' msgid prefix).
SHARED_LIST = {
    "line": "line",
    "caller_role": "caller_role",
    "purpose": "purpose",
    "motive": "motive",
    "sex": "caller_sex",
    "caller_sex": "caller_sex",
    "age_group": "age_group",
    "language": "language",
    "region": "region",
    "caller_region": "region",
    "referral_region": "region",
    "risk_level": "risk",
    "exploitation_type": "exploitation",
    "labour_industry": "labour_industry",
    "method_of_control": "method_of_control",
    "service_type": "service_type",
    "urgency": "urgency",
    "status": "status",
    "outcome": "status",
    "nap_status": "nap",
    "nap": "nap",
}
# Reporting's own lists, labelled in its catalogs under `label:<list>:<code>`.
OWN_CODES: dict[str, tuple[str, ...]] = {"yes_no": ("yes", "no")}

# The codes reporting has labels for, by dimension (the translation test checks every one in az/en/ru).
CODES: dict[str, tuple[str, ...]] = {
    **{dimension: codes.CODE_LISTS[name] for dimension, name in SHARED_LIST.items()},
    **OWN_CODES,
}


def _msgid(dimension: str, code: str) -> str:
    if dimension in SHARED_LIST:
        return codes.msgid(SHARED_LIST[dimension], code)
    return f"label:{'yes_no' if dimension in YES_NO_DIMENSIONS else dimension}:{code}"


def msgids() -> set[str]:
    return {_msgid(dimension, code) for dimension, values in CODES.items() for code in values} | {"label:not_stated"}


def label(lang: str, dimension: str, code: str) -> str:
    """The label of `code` in `dimension` ("Türkiyə (TR)", "yüksək"), or the code itself when unknown."""
    if code in ("", None):
        return code
    t = translator()
    if dimension in COUNTRY_DIMENSIONS:
        if code == "not_stated":
            return t.gettext(lang, "label:not_stated")
        name = Locale.parse(t.pick(lang)).territories.get(code.upper())
        return f"{name} ({code})" if name else code
    msgid = _msgid(dimension, code)
    text = t.gettext(lang, msgid)
    if text != msgid:
        return text
    if code == "not_stated":
        return t.gettext(lang, "label:not_stated")
    return code


def labeller(lang: str) -> Callable[[str, str], str]:
    """label() bound to one language, for templates and report renderers."""

    def label_in_language(dimension: str, code: str) -> str:
        return label(lang, dimension, code)

    return label_in_language
