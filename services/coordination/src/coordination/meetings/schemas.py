from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from coordination.meetings.rules import Presence
from hotline_common.i18n_markers import N_
from hotline_common.web.inputs import Day, Int64, Moment

AgendaItem = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class MeetingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    scheduled_for: Moment
    place: str = Field(default="", max_length=300)
    online: bool = False
    agenda: list[AgendaItem] = Field(min_length=1, max_length=50)

    @field_validator("scheduled_for")
    @classmethod
    def needs_zone(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError(N_("give a time zone (e.g. 2026-12-10T10:00:00+04:00)"))
        return value


class AgendaIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agenda: list[AgendaItem] = Field(min_length=1, max_length=50)


class MeetingOut(BaseModel):
    id: str
    scheduled_for: datetime
    place: str
    online: bool
    agenda: list[str]
    quarter: str
    status: str
    agreed_at: datetime | None = None


class PresenceEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    member_id: str = Field(min_length=1, max_length=36)
    presence: Presence
    # Who came instead of the member (presence `replaced` only); recorded, never counted.
    replacement_name: str | None = Field(default=None, min_length=1, max_length=200)

    @model_validator(mode="after")
    def replacement_named_only_when_replaced(self) -> "PresenceEntry":
        if (self.presence == Presence.REPLACED) != (self.replacement_name is not None):
            raise ValueError(N_("replacement_name is given exactly when presence is 'replaced'"))
        return self


class AttendanceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entries: list[PresenceEntry] = Field(min_length=1, max_length=500)


class QuorumOut(BaseModel):
    """Members counting on the meeting's date, how many take part, and how many are needed."""

    members: int
    present: int
    needed: int
    has_quorum: bool


class AttendanceOut(BaseModel):
    member_id: str
    presence: Presence
    replacement_name: str | None = None


class NotesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    notes: str = Field(max_length=20000)


class AssignmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    agenda_item: Int64 = Field(ge=1)
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    owner: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    deadline: Day


class AssignmentOut(BaseModel):
    id: str
    agenda_item: int
    text: str
    owner: str
    deadline: date


class MeetingRecordOut(MeetingOut):
    attendance: list[AttendanceOut]
    quorum: QuorumOut
    notes: str = ""
    assignments: list[AssignmentOut] = []
