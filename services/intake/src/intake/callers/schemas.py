from datetime import datetime
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

DangerFlag = Literal[
    "never_call_back_on_this_number",
    "caller_monitored",
    "no_voicemail",
    "no_text_messages",
    "abuser_may_answer",
    "speak_only_to_caller",
    "risk_of_violence",
    "minor_involved",
]
CallbackWay = Literal["phone_call", "sms", "whatsapp", "telegram", "signal", "email", "in_person"]

DANGER_FLAGS = get_args(DangerFlag)
CALLBACK_WAYS = get_args(CallbackWay)
# The identity fields kept in the vault, each encrypted on its own.
IDENTITY_FIELDS = ("name", "address", "safe_times", "callback_ways")
JOURNAL_KINDS = ("contact", "screening", "referral", "referral_status", "follow_up", "merge", "unmerge")

Phone = Field(min_length=3, max_length=30)


class CallerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(default="", max_length=200)
    phones: list[str] = Field(default_factory=list, max_length=5)
    address: str = Field(default="", max_length=500)
    safe_times: str = Field(default="", max_length=300)
    callback_ways: list[CallbackWay] = Field(default_factory=list, max_length=len(CALLBACK_WAYS))
    danger_flags: list[DangerFlag] = Field(default_factory=list, max_length=len(DANGER_FLAGS))
    # The call in progress (already recorded) to link to the new profile.
    contact_id: str | None = Field(default=None, min_length=36, max_length=36)


class CallerUpdate(BaseModel):
    """Only the fields given change; phones are added (a number is never silently replaced)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, max_length=200)
    add_phones: list[str] = Field(default_factory=list, max_length=5)
    address: str | None = Field(default=None, max_length=500)
    safe_times: str | None = Field(default=None, max_length=300)
    callback_ways: list[CallbackWay] | None = Field(default=None, max_length=len(CALLBACK_WAYS))
    danger_flags: list[DangerFlag] | None = Field(default=None, max_length=len(DANGER_FLAGS))


class PhoneLookup(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    phone: str = Field(min_length=3, max_length=30)


class ContactLink(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contact_id: str = Field(min_length=36, max_length=36)


class MergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    # The profile that stays; the other one (in the path) is merged into it.
    into_caller_id: str = Field(min_length=36, max_length=36)
    reason: str = Field(min_length=5, max_length=300)


class UnmergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(min_length=5, max_length=300)


class CallerSummary(BaseModel):
    """What a phone lookup shows before the journal is opened: no identity, only what keeps the caller safe."""

    id: str
    code: str
    status: str
    danger_flags: list[str]
    # The operator has a contact with, or is assigned to, this caller: opening needs no stated reason.
    linked: bool


class CallerIdentity(BaseModel):
    name: str = ""
    phones: list[str] = []
    address: str = ""
    safe_times: str = ""
    callback_ways: list[str] = []


class MergedProfile(BaseModel):
    merge_id: str
    caller_id: str
    code: str
    reason: str
    merged_by: str
    merged_at: datetime
    identity: CallerIdentity | None


class CallerProfile(BaseModel):
    id: str
    code: str
    status: str
    danger_flags: list[str]
    assigned_operator_id: str | None
    created_by: str
    created_at: datetime
    last_activity_at: datetime
    destroyed_at: datetime | None
    merged_into_code: str | None = None
    merged_into_id: str | None = None


class JournalEntry(BaseModel):
    at: datetime
    kind: str
    contact_id: str | None = None
    operator_id: str | None = None
    # Codes (and, for a contact, the operator's note from the vault).
    details: dict[str, Any] = {}


class Journal(BaseModel):
    profile: CallerProfile
    identity: CallerIdentity | None  # None once retention destroyed it
    merged_profiles: list[MergedProfile]
    timeline: list[JournalEntry]
    break_glass: bool


class MergeOut(BaseModel):
    id: str
    survivor_id: str
    merged_id: str
    reason: str
    merged_by: str
    merged_at: datetime
    undone_by: str | None
    undone_at: datetime | None
