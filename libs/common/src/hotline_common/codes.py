"""The code lists more than one service uses, each defined once, in its display order.

Codes are the data: stored, sent in events, counted. People read their labels, which live in the
shared catalogs (`hotline_common/locales/<lang>.po`) under the msgid `<list>:<code>`, e.g.
`region:Baku`, `service_type:shelter`, `risk:high`; every service's `Translator` falls back to them.
A list's name is its msgid prefix: the prefix the services' pages already show it under.

A list only one service uses stays in that service (intake's tactics and advice, referrals'
eligibility and organisation kinds, coordination's meeting statuses, ...). `LANGUAGES` here are the
languages a caller speaks or a service works in, not the interface languages (`hotline_common.i18n`).
"""

from __future__ import annotations

# The hotline's numbers, and any other way a contact came in.
LINES: tuple[str, ...] = ("152", "562-21-12", "other")
CALLER_ROLES: tuple[str, ...] = (
    "victim",
    "presumed_victim",
    "potential_victim",
    "relative_friend",
    "third_party",
    "professional",
    "advice_seeker",
    "other",
)
# The first four are advice before leaving (work, study, travel abroad, marrying a foreign citizen).
PURPOSES: tuple[str, ...] = (
    "advice_work_abroad",
    "advice_study_abroad",
    "advice_travel_abroad",
    "advice_marriage_foreign",
    "report_trafficking",
    "psychological_support",
    "legal_question",
    "information",
    "other",
)
# The clarified motive of the call, finer than its purpose.
MOTIVES: tuple[str, ...] = (
    "work_abroad",
    "study_abroad",
    "travel_abroad",
    "marriage_abroad",
    "check_agency_or_offer",
    "exploitation_now",
    "exploitation_past",
    "missing_relative",
    "emotional_distress",
    "legal_help",
    "other",
)
CALLER_SEXES: tuple[str, ...] = ("female", "male", "other", "not_stated")
AGE_GROUPS: tuple[str, ...] = ("under_14", "14_17", "18_24", "25_34", "35_44", "45_59", "60_plus", "not_stated")
# ISO 3166-1 alpha-2: the countries callers come from or travel to, most frequent first.
COUNTRIES: tuple[str, ...] = (
    "AZ",
    "TR",
    "AE",
    "RU",
    "GE",
    "IR",
    "KZ",
    "UZ",
    "UA",
    "BY",
    "QA",
    "SA",
    "IL",
    "CY",
    "MY",
    "TH",
    "CN",
    "IN",
    "PK",
    "DE",
    "GB",
    "IT",
    "FR",
    "PL",
    "GR",
    "ES",
    "US",
    "CA",
    "KR",
    "JP",
)
# Regions of Azerbaijan (a caller's, a service's). One spelling per place: "Quba" (the official
# romanisation), never "Guba" (see ALIASES).
REGIONS: tuple[str, ...] = (
    "Baku",
    "Ganja",
    "Sumgait",
    "Lankaran",
    "Mingachevir",
    "Shaki",
    "Shirvan",
    "Nakhchivan",
    "Quba",
    "Khachmaz",
    "Barda",
    "Yevlakh",
    "Shamakhi",
    "Jalilabad",
    "Zaqatala",
    "Absheron",
)
# ISO 639-1, most frequent first; "other" for a language not listed.
LANGUAGES: tuple[str, ...] = (
    "az",
    "ru",
    "en",
    "tr",
    "fa",
    "ka",
    "uk",
    "uz",
    "kk",
    "tk",
    "ar",
    "zh",
    "hi",
    "ur",
    "other",
)
# The risk level screening assesses from the indicators.
RISK_LEVELS: tuple[str, ...] = ("none", "low", "medium", "high")
# HTCDS type of exploitation, and the industry for forced labour.
EXPLOITATION_TYPES: tuple[str, ...] = (
    "sexual",
    "forced_labour",
    "forced_marriage",
    "begging",
    "organ_removal",
    "forced_criminality",
    "other",
)
LABOUR_INDUSTRIES: tuple[str, ...] = (
    "construction",
    "agriculture",
    "domestic_work",
    "hospitality",
    "manufacturing",
    "fishing",
    "entertainment",
    "retail",
    "transport",
    "other",
)
# HTCDS / CTDC vic_MethodsOfControl codes, which intake's screening derives from the indicators.
METHODS_OF_CONTROL: tuple[str, ...] = (
    "meansOfControlDebtBondage",
    "meansOfControlExcessiveWorkingHours",
    "meansOfControlFalsePromises",
    "meansOfControlOther",
    "meansOfControlPhysicalAbuse",
    "meansOfControlPsychologicalAbuse",
    "meansOfControlRestrictsMedicalCare",
    "meansOfControlRestrictsMovement",
    "meansOfControlSexualAbuse",
    "meansOfControlTakesEarnings",
    "meansOfControlThreatOfLawEnforcement",
    "meansOfControlThreats",
    "meansOfControlWithholdsDocuments",
    "meansOfControlWithholdsNecessities",
)
# The directory's kinds of service, which a referral asks for.
SERVICE_TYPES: tuple[str, ...] = (
    "psychologist",
    "legal_aid",
    "medical",
    "shelter",
    "social_assistance",
    "employment",
    "education",
    "return_reintegration",
    "law_enforcement",
    "consular",
    "child_protection",
    "other",
)
URGENCIES: tuple[str, ...] = ("routine", "urgent", "emergency")
# A referral's life cycle (referrals' referral/lifecycle.py moves between them).
REFERRAL_STATUSES: tuple[str, ...] = (
    "draft",
    "sent",
    "acknowledged",
    "accepted",
    "declined",
    "in_progress",
    "completed",
    "closed_unreachable",
    "withdrawn",
)
# What a caller can agree to share with the receiving organisation.
CONSENT_FIELDS: tuple[str, ...] = ("name", "phone", "age_group", "sex", "language", "nationality", "situation")
# A measure of the National Action Plan.
NAP_STATUSES: tuple[str, ...] = ("not_started", "in_progress", "done")

# List name (the msgid prefix of its labels) -> its codes.
CODE_LISTS: dict[str, tuple[str, ...]] = {
    "line": LINES,
    "caller_role": CALLER_ROLES,
    "purpose": PURPOSES,
    "motive": MOTIVES,
    "caller_sex": CALLER_SEXES,
    "age_group": AGE_GROUPS,
    "country": COUNTRIES,
    "region": REGIONS,
    "language": LANGUAGES,
    "risk": RISK_LEVELS,
    "exploitation": EXPLOITATION_TYPES,
    "labour_industry": LABOUR_INDUSTRIES,
    "method_of_control": METHODS_OF_CONTROL,
    "service_type": SERVICE_TYPES,
    "urgency": URGENCIES,
    "status": REFERRAL_STATUSES,
    "consent_field": CONSENT_FIELDS,
    "nap": NAP_STATUSES,
}

# Spellings no longer used -> the code that replaced them, for values that come from before
# (old events, files); stored values were migrated.
ALIASES: dict[str, dict[str, str]] = {"region": {"Guba": "Quba"}}


def is_code(list_name: str, code: str) -> bool:
    """Whether `code` is one of the list's codes; an unknown list name raises KeyError."""
    return code in CODE_LISTS[list_name]


def canonical(list_name: str, code: str) -> str:
    """The code as the list spells it today ("Guba" -> "Quba"); any other value as it is."""
    if list_name not in CODE_LISTS:
        raise KeyError(list_name)
    return ALIASES.get(list_name, {}).get(code, code)


def msgid(list_name: str, code: str) -> str:
    """The msgid of a code's label: `<list>:<code>`."""
    if list_name not in CODE_LISTS:
        raise KeyError(list_name)
    return f"{list_name}:{code}"


def label_msgids() -> set[str]:
    """Every label of every list (the shared catalogs have each in az, en and ru)."""
    return {msgid(name, code) for name, codes in CODE_LISTS.items() for code in codes}
