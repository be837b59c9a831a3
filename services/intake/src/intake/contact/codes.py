"""Every coded field of the statistical record sheet, and the list each field takes its codes from.

The lists intake shares with other services (lines, roles, purposes, countries, regions, languages,
exploitation types, ...) are `hotline_common.codes`, re-exported here under the names the sheet uses;
the sheet's own lists (psychological states, tactics, advice, police report) are defined here.
Codes are stored and emitted as they are; their labels are translated under the msgid
`<list>:<code>`, e.g. `caller_sex:female`: the shared lists' in the shared catalogs, the sheet's own
in intake's (`locales/<lang>.po`). Countries are ISO 3166-1 alpha-2, languages ISO 639-1,
exploitation types the HTCDS categories.
"""

from hotline_common import codes as shared

LINES = shared.LINES
CALLER_ROLES = shared.CALLER_ROLES
PURPOSES = shared.PURPOSES
# Purposes that are advice before leaving: they take a destination country and an advice script.
PRE_DEPARTURE_PURPOSES = PURPOSES[:4]

CALLER_SEXES = shared.CALLER_SEXES
AGE_GROUPS = shared.AGE_GROUPS
# Countries a caller comes from or travels to, most frequent first in the hotline's experience.
COUNTRIES = shared.COUNTRIES
# The directory's region codes (Azerbaijan); empty when the caller calls from abroad.
REGIONS = shared.REGIONS
LANGUAGES = shared.LANGUAGES

# The clarified motive of the call, finer than its purpose.
MOTIVES = shared.MOTIVES

# HTCDS type of exploitation, and the industry for forced labour.
EXPLOITATION_TYPES = shared.EXPLOITATION_TYPES
LABOUR_INDUSTRIES = shared.LABOUR_INDUSTRIES

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
