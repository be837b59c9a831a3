from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class ScreeningIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    indicators: list[Annotated[str, Field(max_length=40)]] = Field(default=[], max_length=40)


class AssessmentOut(BaseModel):
    risk_level: str
    groups: list[str]
    rules: list[str]
    methods_of_control: list[str]
    # High risk: suggest, with the caller's consent, a report to the anti-trafficking police.
    suggest_police_report: bool


class IndicatorGroupOut(BaseModel):
    group: str
    indicators: list[str]


class AlertOut(BaseModel):
    id: str
    contact_id: str
    caller_id: str | None
    risk_level: str
    indicator_groups: list[str]
    operator_id: str
    police_report: str
    raised_at: datetime
    closed_at: datetime | None
    closed_by: str | None
