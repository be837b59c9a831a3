from datetime import UTC, datetime
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hotline_common.web.inputs import AwareMoment, Moment

# The shared code lists (hotline_common.codes) as types for the API; tests/test_intake_code_lists.py
# fails when one differs from its list.
Line = Literal["152", "562-21-12", "other"]
CallerRole = Literal[
    "victim",
    "presumed_victim",
    "potential_victim",
    "relative_friend",
    "third_party",
    "professional",
    "advice_seeker",
    "other",
]
Purpose = Literal[
    "advice_work_abroad",
    "advice_study_abroad",
    "advice_travel_abroad",
    "advice_marriage_foreign",
    "report_trafficking",
    "psychological_support",
    "legal_question",
    "information",
    "other",
]
Urgency = Literal["routine", "urgent", "emergency"]
Code = Annotated[str, Field(max_length=40)]
CodeList = Annotated[list[Code], Field(max_length=40)]

LINES = get_args(Line)
CALLER_ROLES = get_args(CallerRole)
PURPOSES = get_args(Purpose)
URGENCIES = get_args(Urgency)


class ContactCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    line: Line
    caller_role: CallerRole
    purpose: Purpose
    started_at: Moment | None = None
    ended_at: Moment | None = None
    # The caller profile this call belongs to; none = anonymous (the default).
    caller_id: str | None = Field(default=None, min_length=36, max_length=36)
    # Coded fields: "" = not stated; the allowed codes are in contact/codes.py, checked in service.py.
    caller_sex: Code = ""
    caller_age_group: Code = ""
    caller_citizenship: Code = ""
    caller_country: Code = ""
    caller_region: Code = ""
    caller_language: Code = ""
    motive: Code = ""
    destination_country: Code = ""
    # The recruiting agency's name as given: free text, goes to the identity vault only.
    agency: str = Field(default="", max_length=300)
    indicators: CodeList = []
    police_report: Code = ""
    exploitation_types: CodeList = []
    labour_industry: Code = ""
    state_at_start: Code = ""
    state_at_end: Code = ""
    crisis_support: bool = False
    tactics: CodeList = []
    advice_given: CodeList = []
    services_informed: list[Annotated[str, Field(min_length=36, max_length=36)]] = Field(default=[], max_length=50)
    follow_up_needed: bool = False
    follow_up_due_at: Moment | None = None
    script_version_id: str | None = Field(default=None, min_length=36, max_length=36)
    note: str = Field(default="", max_length=10_000)
    # The draft this call was typed in; recording the call closes it in the same transaction.
    draft_id: str | None = Field(default=None, min_length=36, max_length=36)


class ContactReferralOut(BaseModel):
    referral_id: str
    service_id: str
    service_type: str
    urgency: str
    status: str
    created_at: datetime
    consent_shared: bool = False


class ContactOut(BaseModel):
    id: str
    line: str
    caller_role: str
    purpose: str
    started_at: datetime
    recorded_at: datetime
    operator_id: str
    ended_at: datetime | None = None
    duration_seconds: int | None = None
    caller_id: str | None = None
    anonymous: bool = True
    caller_sex: str = ""
    caller_age_group: str = ""
    caller_citizenship: str = ""
    caller_country: str = ""
    caller_region: str = ""
    caller_language: str = ""
    motive: str = ""
    destination_country: str = ""
    indicators: list[str] = []
    risk_level: str = "none"
    police_report: str = ""
    exploitation_types: list[str] = []
    labour_industry: str = ""
    state_at_start: str = ""
    state_at_end: str = ""
    crisis_support: bool = False
    tactics: list[str] = []
    advice_given: list[str] = []
    services_informed: list[str] = []
    follow_up_needed: bool = False
    follow_up_due_at: datetime | None = None
    follow_up_done_at: datetime | None = None
    script_version_id: str | None = None
    revision: int = 1


class ContactPage(BaseModel):
    items: list[ContactOut]
    # Pass as `after` for the next page; None on the last page.
    next_cursor: str | None


class ContactDetail(ContactOut):
    note: str
    agency: str = ""
    referrals: list[ContactReferralOut]


# What a caller can agree to share with the receiving organisation (the codes referrals accepts):
# hotline_common.codes.CONSENT_FIELDS.
ConsentField = Literal["name", "phone", "age_group", "sex", "language", "nationality", "situation"]
CONSENT_FIELDS = get_args(ConsentField)


class ConsentRequest(BaseModel):
    """The operator's record of what the caller agreed to: which fields, for which purpose, until when.
    Only the codes come from the browser; the values are read from the caller's record by the service."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    fields: list[ConsentField] = Field(min_length=1, max_length=len(CONSENT_FIELDS))
    purpose: str = Field(min_length=1, max_length=300)
    valid_until: AwareMoment

    @field_validator("fields")
    @classmethod
    def _each_once(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("each field once")
        return value

    @field_validator("valid_until")
    @classmethod
    def _in_the_future(cls, value: datetime) -> datetime:
        if value <= datetime.now(UTC):
            raise ValueError("must be in the future")
        return value


class ReferralRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    service_id: str = Field(min_length=36, max_length=36)
    reason: str = Field(min_length=1, max_length=500)
    urgency: Urgency = "routine"
    # None (the default): no consent, the partner gets the reference number and the need only.
    consent: ConsentRequest | None = None
    # Why an operator with no link to the call shares its caller's values (break-glass, flagged).
    access_reason: str = Field(default="", max_length=300)
