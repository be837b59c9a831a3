from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hotline_common.web.inputs import Day

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class MemberOut(BaseModel):
    id: str
    full_name: str
    body: str
    body_kind: str
    is_head: bool
    status: str
    valid_from: date | None
    valid_to: date | None
    subject: str | None
    rejection_reason: str | None


class MemberProposal(BaseModel):
    """A body's or NGO's proposal of its representative, entered by the Coordinator's office."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    full_name: Annotated[Text, Field(max_length=200)]
    body: Annotated[Text, Field(max_length=300)]
    body_kind: Literal["executing_body", "ngo"]
    is_head: bool = False
    subject: Annotated[Text, Field(max_length=100)] | None = None


class MemberApproval(BaseModel):
    model_config = ConfigDict(extra="forbid")

    valid_from: Day


class MemberRejection(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: Annotated[Text, Field(max_length=500)]


class MembershipEnd(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # The last day the member counts (inclusive).
    valid_to: Day
