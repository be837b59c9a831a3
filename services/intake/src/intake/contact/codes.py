"""Every coded field of the statistical record sheet: the one place the code lists live.

Codes are stored and emitted as they are; their labels are translated in the intake catalogs
(`locales/<lang>.po`) under the msgid `<list>:<code>`, e.g. `caller_sex:female`. Countries are
ISO 3166-1 alpha-2, languages ISO 639-1, exploitation types the HTCDS categories.
"""

LINES = ("152", "562-21-12", "other")
CALLER_ROLES = (
    "victim",
    "presumed_victim",
    "potential_victim",
    "relative_friend",
    "third_party",
    "professional",
    "advice_seeker",
    "other",
)
PURPOSES = (
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
# Purposes that are advice before leaving: they take a destination country and an advice script.
PRE_DEPARTURE_PURPOSES = PURPOSES[:4]

CALLER_SEXES = ("female", "male", "other", "not_stated")
AGE_GROUPS = ("under_14", "14_17", "18_24", "25_34", "35_44", "45_59", "60_plus", "not_stated")
# Countries a caller comes from or travels to, most frequent first in the hotline's experience.
COUNTRIES = (
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
# The directory's region codes (Azerbaijan); empty when the caller calls from abroad.
REGIONS = ("Baku", "Ganja", "Sumgait", "Lankaran", "Mingachevir", "Shaki", "Shirvan", "Nakhchivan")
LANGUAGES = ("az", "ru", "en", "tr", "fa", "ka", "uk", "uz", "kk", "ar")

# The clarified motive of the call, finer than its purpose.
MOTIVES = (
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

# HTCDS type of exploitation, and the industry for forced labour.
EXPLOITATION_TYPES = (
    "sexual",
    "forced_labour",
    "forced_marriage",
    "begging",
    "organ_removal",
    "forced_criminality",
    "other",
)
LABOUR_INDUSTRIES = (
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

PSYCH_STATES = ("calm", "worried", "anxious", "frightened", "distressed", "crisis")
# Tactics worked out with the caller to get out of a conflict or crisis.
TACTICS = (
    "safety_plan",
    "leave_safely",
    "contact_police",
    "contact_embassy",
    "go_to_shelter",
    "keep_documents_safe",
    "tell_trusted_person",
    "call_back_agreed",
    "medical_help",
)
# Advice given: the checklist the operator ticks.
ADVICE = (
    "check_agency_licence",
    "read_contract",
    "work_visa",
    "copies_of_documents",
    "never_hand_over_passport",
    "embassy_contacts",
    "hotline_contacts_abroad",
    "tell_family_itinerary",
    "workers_rights",
    "see_psychologist",
    "see_lawyer",
)
# Was a report to the anti-trafficking police suggested, and did the caller consent?
POLICE_REPORT = ("not_suggested", "consented", "declined")

# Field name -> allowed codes, for single-valued coded fields ("" always means not stated).
SINGLE = {
    "line": LINES,
    "caller_role": CALLER_ROLES,
    "purpose": PURPOSES,
    "caller_sex": CALLER_SEXES,
    "caller_age_group": AGE_GROUPS,
    "caller_citizenship": COUNTRIES,
    "caller_country": COUNTRIES,
    "caller_region": REGIONS,
    "caller_language": LANGUAGES,
    "motive": MOTIVES,
    "destination_country": COUNTRIES,
    "labour_industry": LABOUR_INDUSTRIES,
    "state_at_start": PSYCH_STATES,
    "state_at_end": PSYCH_STATES,
    "police_report": POLICE_REPORT,
}
# Field name -> allowed codes, for multi-valued coded fields (indicators are checked by screening).
MULTI = {"exploitation_types": EXPLOITATION_TYPES, "tactics": TACTICS, "advice_given": ADVICE}

# The translation prefix of each list, for labels: `<prefix>:<code>`.
LABEL_PREFIX = {
    "line": "line",
    "caller_role": "caller_role",
    "purpose": "purpose",
    "caller_sex": "caller_sex",
    "caller_age_group": "age_group",
    "caller_citizenship": "country",
    "caller_country": "country",
    "caller_region": "region",
    "caller_language": "language",
    "motive": "motive",
    "destination_country": "country",
    "labour_industry": "labour_industry",
    "state_at_start": "psych_state",
    "state_at_end": "psych_state",
    "police_report": "police_report",
    "exploitation_types": "exploitation",
    "tactics": "tactic",
    "advice_given": "advice",
}


def label_msgids() -> set[str]:
    """Every `<prefix>:<code>` label the sheet can show (the translation test checks them all)."""
    lists = {**SINGLE, **MULTI}
    return {f"{LABEL_PREFIX[field]}:{code}" for field, codes in lists.items() for code in codes}
