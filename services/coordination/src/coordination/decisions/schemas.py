from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from coordination.meetings.rules import Choice
from hotline_common.web.inputs import Int64


class ProposalCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    agenda_item: Int64 = Field(ge=1, description="1-based number of the agenda item")
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class VoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    member_id: str = Field(min_length=1, max_length=36)
    choice: Choice


class VoteOut(BaseModel):
    member_id: str
    choice: Choice
    recorded_by: str
    cast_at: datetime


class ProposalOut(BaseModel):
    id: str
    meeting_id: str
    agenda_item: int
    text: str
    outcome: str | None
    votes_for: int | None
    votes_against: int | None
    abstentions: int | None
    decided_by_head: bool | None
    decided_at: datetime | None
    votes: list[VoteOut] = []
