from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from intake.accounts.schemas import NAME_MAX, PASSWORD_MAX, PASSWORD_MIN, USERNAME_PATTERN


class CallInProgress(BaseModel):
    draft_id: str
    operator_id: str
    operator_name: str
    started_at: datetime
    last_saved_at: datetime


class FollowUpDue(BaseModel):
    contact_id: str
    caller_id: str | None
    caller_code: str | None
    due_at: datetime | None
    overdue: bool
    operator_id: str  # who does it: the assignee, else the operator who took the call
    operator_name: str
    reassigned: bool


class Board(BaseModel):
    now: datetime
    calls_in_progress: list[CallInProgress]
    follow_ups_due: list[FollowUpDue]
    # Journals opened without a link in the last 24 hours (each one is in the access audit).
    break_glass_last_day: int


class StaffOut(BaseModel):
    id: str
    username: str
    display_name: str
    role: str
    created_at: datetime
    disabled_at: datetime | None = None
    # Locked after repeated wrong passwords until then (the director may unlock it sooner).
    locked_until: datetime | None = None


class StaffIn(BaseModel):
    """A hotline staff account of the built-in issuer, added by the director."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    username: str = Field(pattern=USERNAME_PATTERN)
    display_name: str = Field(min_length=1, max_length=NAME_MAX)
    role: Literal["operator", "director"]
    password: str = Field(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)


class StaffPassword(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str = Field(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)


class StaffDisabled(BaseModel):
    model_config = ConfigDict(extra="forbid")

    disabled: bool


class Reassign(BaseModel):
    model_config = ConfigDict(extra="forbid")

    operator_id: str = Field(min_length=1, max_length=100)


class AssignmentOut(BaseModel):
    id: str  # the contact (follow-up) or the caller reassigned
    operator_id: str
    assigned_by: str
    assigned_at: datetime


class AuditRow(BaseModel):
    """An audit entry as the director reads it: names instead of ids where intake knows them."""

    seq: int
    at: datetime
    actor_id: str
    actor_name: str
    actor_role: str
    action: str
    record_type: str
    record_id: str
    caller_code: str | None
    interface: str
    reason: str
    break_glass: bool


class OverdueReferral(BaseModel):
    """A referral the receiving organisation has not acknowledged in time (codes only, no free text)."""

    referral_id: str
    reference: str
    contact_id: str
    caller_id: str | None
    caller_code: str | None
    service_type: str
    urgency: str
    region: str
    status: str
    acknowledgement_due_at: datetime | None
    escalated: bool
