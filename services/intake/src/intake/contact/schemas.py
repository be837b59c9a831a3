from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Line = Literal["152", "562-21-12", "other"]
CallerRole = Literal["victim", "presumed_victim", "potential_victim", "relative_friend", "third_party",
                     "professional", "advice_seeker", "other"]
Purpose = Literal["advice_work_abroad", "advice_study_abroad", "advice_travel_abroad", "advice_marriage_foreign",
                  "report_trafficking", "psychological_support", "legal_question", "information", "other"]
Urgency = Literal["routine", "urgent", "emergency"]

LINES = Line.__args__
CALLER_ROLES = CallerRole.__args__
PURPOSES = Purpose.__args__
URGENCIES = Urgency.__args__


class ContactCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    line: Line
    caller_role: CallerRole
    purpose: Purpose
    started_at: datetime | None = None
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


class ContactOut(BaseModel):
    id: str
    line: str
    caller_role: str
    purpose: str
    started_at: datetime
    recorded_at: datetime
    operator_id: str


class ContactDetail(ContactOut):
    note: str
    referrals: list[ContactReferralOut]


class ReferralRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    service_id: str = Field(min_length=36, max_length=36)
    reason: str = Field(min_length=1, max_length=500)
    urgency: Urgency = "routine"
