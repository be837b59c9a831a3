"""Labels of the codes the tables show, in az/en/ru.

Codes stay the data (downloads keep them for machines); people read labels. The code lists belong to
intake, referrals and coordination; reporting keeps its own copy of their labels in its catalogs under
`label:<dimension>:<code>` (it imports no other service). An unknown code is shown as it is."""

from __future__ import annotations

from babel import Locale

from reporting.i18n import translator

COUNTRY_DIMENSIONS = ("destination_country", "citizenship", "country", "prs_Citizenship")
YES_NO_DIMENSIONS = ("crisis", "returning_caller", "overdue")
# A dimension whose codes are one of another dimension's lists.
SAME_LIST = {
    "caller_sex": "sex",
    "outcome": "status",
    "nap": "nap_status",
    "caller_region": "region",
    "referral_region": "region",
}

# The codes reporting has labels for (the translation test checks every one in az/en/ru).
CODES: dict[str, tuple[str, ...]] = {
    "line": ("152", "562-21-12", "other"),
    "caller_role": (
        "victim",
        "presumed_victim",
        "potential_victim",
        "relative_friend",
        "third_party",
        "professional",
        "advice_seeker",
        "other",
    ),
    "purpose": (
        "advice_work_abroad",
        "advice_study_abroad",
        "advice_travel_abroad",
        "advice_marriage_foreign",
        "report_trafficking",
        "psychological_support",
        "legal_question",
        "information",
        "other",
    ),
    "motive": (
        "check_agency_or_offer",
        "emotional_distress",
        "exploitation_now",
        "exploitation_past",
        "legal_help",
        "marriage_abroad",
        "missing_relative",
        "other",
        "study_abroad",
        "travel_abroad",
        "work_abroad",
    ),
    "sex": ("female", "male", "not_stated", "other"),
    "age_group": ("under_14", "14_17", "18_24", "25_34", "35_44", "45_59", "60_plus", "not_stated"),
    "language": ("ar", "az", "en", "fa", "ka", "kk", "ru", "tr", "uk", "uz"),
    "region": ("Baku", "Ganja", "Lankaran", "Mingachevir", "Nakhchivan", "Shaki", "Shirvan", "Sumgait"),
    "risk_level": ("none", "low", "medium", "high"),
    "exploitation_type": (
        "sexual",
        "forced_labour",
        "forced_marriage",
        "begging",
        "organ_removal",
        "forced_criminality",
        "other",
    ),
    "labour_industry": (
        "agriculture",
        "construction",
        "domestic_work",
        "entertainment",
        "fishing",
        "hospitality",
        "manufacturing",
        "other",
        "retail",
        "transport",
    ),
    "service_type": (
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
    ),
    "urgency": ("routine", "urgent", "emergency"),
    "status": (
        "draft",
        "sent",
        "acknowledged",
        "accepted",
        "declined",
        "in_progress",
        "completed",
        "closed_unreachable",
        "withdrawn",
    ),
    "nap_status": ("done", "in_progress", "not_started"),
    "method_of_control": (
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
    ),
    "yes_no": ("yes", "no"),
}


def msgids() -> set[str]:
    return {f"label:{dimension}:{code}" for dimension, codes in CODES.items() for code in codes} | {"label:not_stated"}


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
    dimension = "yes_no" if dimension in YES_NO_DIMENSIONS else SAME_LIST.get(dimension, dimension)
    msgid = f"label:{dimension}:{code}"
    text = t.gettext(lang, msgid)
    if text != msgid:
        return text
    if code == "not_stated":
        return t.gettext(lang, "label:not_stated")
    return code


def labeller(lang: str):
    """label() bound to one language, for templates and report renderers."""
    return lambda dimension, code: label(lang, dimension, code)
