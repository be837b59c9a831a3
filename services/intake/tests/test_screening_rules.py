"""The documented risk rules (screening/rules.py's docstring), one case each, and the HTCDS mapping."""

import pytest

from hotline_common.errors import InvalidInput, PermissionDenied
from hotline_devstack.testing import principal
from intake.screening import service
from intake.screening.rules import GROUPS, INDICATORS, METHODS_OF_CONTROL, assess

CASES = [
    ([], "none", ("R1",)),
    (["unlicensed_agency", "job_differs_from_offer"], "low", ("R2",)),
    (["unlicensed_agency", "excessive_hours"], "medium", ("R3",)),
    (["unlicensed_agency", "excessive_hours", "no_phone_access"], "high", ("R4",)),
    (["threats_to_caller", "passport_taken"], "high", ("R5",)),
    (["threats_to_family", "recruitment_debt"], "high", ("R5",)),
    (["threat_of_deportation", "always_escorted"], "high", ("R5",)),
    (["threats_to_caller", "excessive_hours"], "medium", ("R3",)),
    (["minor_involved", "excessive_hours"], "high", ("R6",)),
    (["minor_travelling_alone"], "medium", ("R7",)),
    (["locked_in"], "medium", ("R7",)),
    (["sexual_violence"], "medium", ("R7",)),
    (["physical_violence", "threats_to_caller"], "medium", ("R7",)),
]


@pytest.mark.parametrize("indicators, level, rules", CASES)
def test_each_rule_gives_its_documented_level(indicators, level, rules):
    assessment = assess(indicators)
    assert (assessment.risk_level, assessment.rules) == (level, rules)


def test_every_indicator_has_a_group_and_an_htcds_method_of_control():
    assert set(METHODS_OF_CONTROL) == set(INDICATORS)
    assert len(GROUPS) == 8 and all(codes for codes in GROUPS.values())
    assert all(code.startswith("meansOfControl") for code in METHODS_OF_CONTROL.values())


def test_groups_come_in_checklist_order_and_methods_sorted_unique():
    assessment = assess(["excessive_hours", "passport_taken", "id_documents_confiscated"])
    assert assessment.groups == ("documents_withheld", "conditions")
    assert assessment.methods_of_control == ("meansOfControlExcessiveWorkingHours", "meansOfControlWithholdsDocuments")


def test_live_assessment_suggests_the_police_report_only_at_high_risk():
    operator = principal("operator")
    assert service.assess_indicators(operator, ["locked_in", "threats_to_caller"]).suggest_police_report
    assert not service.assess_indicators(operator, ["locked_in"]).suggest_police_report
    with pytest.raises(InvalidInput) as raised:
        service.assess_indicators(operator, ["locked_in", "nope"])
    assert raised.value.problems[0].field == "indicators.1"
    with pytest.raises(PermissionDenied):
        service.assess_indicators(principal("analyst"), [])
