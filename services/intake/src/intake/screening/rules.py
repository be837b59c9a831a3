"""Trafficking indicator screening: the checklist by group, and how the risk level is computed.

The risk level is the highest level any of these rules gives (the call screen shows them too):

  R1  no indicator ticked                                                      -> none
  R2  indicators from one group                                                -> low
  R3  indicators from two groups                                               -> medium
  R4  indicators from three or more groups                                     -> high
  R5  threats or violence together with control (documents withheld, debt
      or restricted movement)                                                  -> high
  R6  a minor involved together with any other group                           -> high
  R7  a minor involved, or a "severe" indicator (locked in, physical or
      sexual violence), even alone                                             -> medium

High risk raises an alert to the director (`intake.screening.high_risk.v1`) and the operator
suggests, with the caller's consent, a report to the anti-trafficking police.

Each indicator maps to HTCDS (CTDC) `vic_MethodsOfControl` codes for the event, so the
statistics can be compared with other countries' data.
"""

from dataclasses import dataclass

GROUPS: dict[str, tuple[str, ...]] = {
    "deceptive_recruitment": (
        "job_differs_from_offer",
        "unlicensed_agency",
        "unrealistic_pay_promised",
        "travel_paid_by_recruiter",
    ),
    "documents_withheld": ("passport_taken", "id_documents_confiscated", "no_contract_copy"),
    "debt": ("recruitment_debt", "debt_grows", "wages_withheld"),
    "restricted_movement": ("cannot_leave_workplace", "locked_in", "always_escorted"),
    "threats_violence": (
        "threats_to_caller",
        "threats_to_family",
        "physical_violence",
        "sexual_violence",
        "threat_of_deportation",
    ),
    "isolation": ("no_phone_access", "no_contact_with_family", "does_not_know_address"),
    "conditions": ("excessive_hours", "no_or_little_pay", "poor_accommodation", "no_medical_care"),
    "minor": ("minor_involved", "minor_travelling_alone"),
}
INDICATOR_GROUP = {code: group for group, codes in GROUPS.items() for code in codes}
INDICATORS = tuple(INDICATOR_GROUP)
CONTROL_GROUPS = {"documents_withheld", "debt", "restricted_movement"}
SEVERE = {"locked_in", "physical_violence", "sexual_violence"}
RISK_LEVELS = ("none", "low", "medium", "high")
RULES = ("R1", "R2", "R3", "R4", "R5", "R6", "R7")

# HTCDS / CTDC vic_MethodsOfControl codes (the "meansOfControl*" fields of the CTDC data standard).
METHODS_OF_CONTROL = {
    "job_differs_from_offer": "meansOfControlFalsePromises",
    "unlicensed_agency": "meansOfControlFalsePromises",
    "unrealistic_pay_promised": "meansOfControlFalsePromises",
    "travel_paid_by_recruiter": "meansOfControlDebtBondage",
    "passport_taken": "meansOfControlWithholdsDocuments",
    "id_documents_confiscated": "meansOfControlWithholdsDocuments",
    "no_contract_copy": "meansOfControlOther",
    "recruitment_debt": "meansOfControlDebtBondage",
    "debt_grows": "meansOfControlDebtBondage",
    "wages_withheld": "meansOfControlTakesEarnings",
    "cannot_leave_workplace": "meansOfControlRestrictsMovement",
    "locked_in": "meansOfControlRestrictsMovement",
    "always_escorted": "meansOfControlRestrictsMovement",
    "threats_to_caller": "meansOfControlThreats",
    "threats_to_family": "meansOfControlThreats",
    "physical_violence": "meansOfControlPhysicalAbuse",
    "sexual_violence": "meansOfControlSexualAbuse",
    "threat_of_deportation": "meansOfControlThreatOfLawEnforcement",
    "no_phone_access": "meansOfControlRestrictsMovement",
    "no_contact_with_family": "meansOfControlPsychologicalAbuse",
    "does_not_know_address": "meansOfControlRestrictsMovement",
    "excessive_hours": "meansOfControlExcessiveWorkingHours",
    "no_or_little_pay": "meansOfControlTakesEarnings",
    "poor_accommodation": "meansOfControlWithholdsNecessities",
    "no_medical_care": "meansOfControlRestrictsMedicalCare",
    "minor_involved": "meansOfControlOther",
    "minor_travelling_alone": "meansOfControlOther",
}


@dataclass(frozen=True)
class Assessment:
    risk_level: str
    groups: tuple[str, ...]
    rules: tuple[str, ...]  # the rules that gave the level, for the screen
    methods_of_control: tuple[str, ...]


def _level_index(level: str) -> int:
    return RISK_LEVELS.index(level)


def assess(indicators: list[str] | tuple[str, ...]) -> Assessment:
    """The risk level of a set of (known) indicator codes, with the rules that decided it."""
    ticked = set(indicators)
    groups = {INDICATOR_GROUP[code] for code in ticked}
    fired: list[tuple[str, str]] = []
    if not groups:
        fired.append(("R1", "none"))
    elif len(groups) == 1:
        fired.append(("R2", "low"))
    elif len(groups) == 2:
        fired.append(("R3", "medium"))
    else:
        fired.append(("R4", "high"))
    if "threats_violence" in groups and groups & CONTROL_GROUPS:
        fired.append(("R5", "high"))
    if "minor" in groups and len(groups) > 1:
        fired.append(("R6", "high"))
    if "minor" in groups or ticked & SEVERE:
        fired.append(("R7", "medium"))
    level = max((lvl for _, lvl in fired), key=_level_index)
    return Assessment(
        risk_level=level,
        groups=tuple(g for g in GROUPS if g in groups),
        rules=tuple(rule for rule, lvl in fired if lvl == level),
        methods_of_control=tuple(sorted({METHODS_OF_CONTROL[code] for code in ticked})),
    )


def label_msgids() -> set[str]:
    return (
        {f"indicator:{code}" for code in INDICATORS}
        | {f"indicator_group:{g}" for g in GROUPS}
        | {f"risk:{level}" for level in RISK_LEVELS}
        | {f"rule:{rule}" for rule in RULES}
    )
