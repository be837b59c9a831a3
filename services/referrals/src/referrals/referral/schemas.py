from datetime import UTC, datetime
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hotline_common.errors import ValueProblem
from hotline_common.web.inputs import AwareMoment

Urgency = Literal["routine", "urgent", "emergency"]
ID_PATTERN = r"^[0-9a-fA-F-]{36}$"
# What a caller can agree to share with the receiving organisation.
ShareableField = Literal["name", "phone", "age_group", "sex", "language", "nationality", "situation"]
SHAREABLE_FIELDS = get_args(ShareableField)


class ConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    fields: list[ShareableField] = Field(min_length=1, max_length=len(SHAREABLE_FIELDS))
    purpose: str = Field(min_length=1, max_length=300)
    valid_until: AwareMoment
    # The consented values themselves; keys must be among `fields`.
    data: dict[str, str] = Field(default_factory=dict)

    @field_validator("fields")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("each field once")
        return value

    @field_validator("valid_until")
    @classmethod
    def _future(cls, value: datetime) -> datetime:
        if value <= datetime.now(UTC):
            raise ValueError("must be in the future")
        return value

    @model_validator(mode="after")
    def _data_within_consent(self) -> "ConsentIn":
        for key, text in self.data.items():
            if key not in self.fields:
                raise ValueProblem("data.{key} is not among the consented fields", key=key)
            if len(text) > 500:
                raise ValueProblem("data.{key} is longer than 500 characters", key=key)
        return self


class ReferralCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    contact_id: str = Field(pattern=ID_PATTERN)
    service_id: str = Field(pattern=ID_PATTERN)
    reason: str = Field(min_length=1, max_length=500)
    urgency: Urgency = "routine"
    caller_id: str | None = Field(default=None, pattern=ID_PATTERN)
    consent: ConsentIn | None = None
    # Keep it as a draft: the receiver sees nothing until it is sent.
    draft: bool = False


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    to_status: str = Field(min_length=1, max_length=30)
    reason_code: str | None = Field(default=None, max_length=40)


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    body: str = Field(min_length=1, max_length=2000)


class TransitionOut(BaseModel):
    from_status: str | None
    to_status: str
    actor: str
    actor_kind: str
    reason_code: str | None
    at: datetime


class ConsentOut(BaseModel):
    """The consent record (what was agreed), never the values."""

    fields: list[str]
    organisation_id: str
    purpose: str
    valid_until: datetime
    taken_by: str
    taken_at: datetime
    active: bool
    revoked_at: datetime | None
    revoked_by: str | None


class NoteOut(BaseModel):
    author_kind: str
    author: str
    body: str
    created_at: datetime


class ReferralOut(BaseModel):
    id: str
    reference: str
    contact_id: str
    caller_id: str | None = None
    service_id: str
    organisation_id: str
    service_type: str
    region: str
    reason: str
    urgency: str
    status: str
    reason_code: str | None = None
    created_at: datetime
    acknowledgement_due_at: datetime | None = None
    overdue_escalated_at: datetime | None = None
    consent_given: bool = False


class SharedReadOut(BaseModel):
    """Who was shown the consented values, which fields, through which channel, when."""

    reader: str
    reader_kind: str
    fields: list[str]
    channel: str
    at: datetime


class ReferralDetail(ReferralOut):
    transitions: list[TransitionOut]
    consent: ConsentOut | None
    notes: list[NoteOut]
    shared_reads: list[SharedReadOut] = []


class PartnerReferralOut(BaseModel):
    """All a partner organisation (portal, API, link) sees of a referral."""

    id: str
    reference: str
    status: str
    urgency: str
    service_id: str
    service_type: str
    region: str
    need: str
    created_at: datetime
    acknowledgement_due_at: datetime | None
    consent_active: bool
    # A consent was given but was withdrawn or has expired: nothing personal is shared any more.
    consent_ended: bool = False
    consented_fields: list[str]
    consent_purpose: str | None
    consent_valid_until: datetime | None
    # Only the consented fields, only while the consent is in force.
    shared: dict[str, str]
    notes: list[NoteOut]
    next_statuses: list[str]
