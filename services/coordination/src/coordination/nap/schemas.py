from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hotline_common.web.inputs import Day

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Status = Literal["not_started", "in_progress", "done"]


class MeasureIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    number: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=30, pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-]*$"),
    ]
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
    executing_bodies: list[Name] = Field(min_length=1, max_length=30)
    recommended_institutions: list[Name] = Field(default_factory=list, max_length=30)
    deadline: Day
    indicators: str = Field(default="", max_length=5000)


class EvidenceOut(BaseModel):
    id: str
    filename: str
    content_type: str
    size: int
    sha256: str


class ProgressOut(BaseModel):
    id: str
    body: str
    status: Status
    text: str
    reported_by: str
    reported_at: datetime
    evidence: list[EvidenceOut] = []


class MeasureOut(BaseModel):
    id: str
    number: str
    text: str
    executing_bodies: list[str]
    recommended_institutions: list[str]
    deadline: date
    indicators: str
    status: Status
    overdue: bool
    updated_at: datetime
    progress: list[ProgressOut] = []


class ImportResult(BaseModel):
    created: int
    updated: int


class BodyProgress(BaseModel):
    body: str
    measures: int
    done: int
    in_progress: int
    not_started: int
    overdue: int
