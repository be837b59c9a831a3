from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from hotline_common.i18n_markers import N_
from hotline_common.web.inputs import Moment

CALL_DIMENSIONS = (
    "day",
    "week",
    "month",
    "quarter",
    "year",
    "line",
    "hour",
    "caller_role",
    "purpose",
    "motive",
    "destination_country",
    "citizenship",
    "country",
    "region",
    "sex",
    "age_group",
    "language",
    "risk_level",
    "exploitation_type",
    "method_of_control",
    "crisis",
    "returning_caller",
)
REFERRAL_DIMENSIONS = ("service_type", "organisation", "region", "urgency", "status", "outcome", "overdue", "quarter")
# Call filters the dashboards offer (equality on one code each).
CALL_FILTERS = ("line", "caller_role", "purpose", "sex", "age_group", "country", "region", "risk_level")

Code = str


class StatisticsQuery(BaseModel):
    from_time: Moment | None = None
    to_time: Moment | None = None
    line: Code | None = Field(None, max_length=40)
    caller_role: Code | None = Field(None, max_length=40)
    purpose: Code | None = Field(None, max_length=40)
    sex: Code | None = Field(None, max_length=40)
    age_group: Code | None = Field(None, max_length=40)
    country: Code | None = Field(None, max_length=40)
    region: Code | None = Field(None, max_length=100)
    risk_level: Code | None = Field(None, max_length=40)

    @model_validator(mode="after")
    def check_range(self) -> "StatisticsQuery":
        for name in ("from_time", "to_time"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValueError(f"{name} needs a time zone")
        if self.from_time and self.to_time and self.from_time >= self.to_time:
            raise ValueError(N_("from_time must be before to_time"))
        return self

    def filters(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in CALL_FILTERS if getattr(self, name)}


class Cell(BaseModel):
    key: str
    # None: hidden by small-cell suppression.
    count: int | None


class Table(BaseModel):
    name: str
    dimension: str
    cells: list[Cell]
    total: int | None
    suppressed: int = 0


class CrossTable(BaseModel):
    rows_dimension: str
    columns_dimension: str
    rows: list[str]
    columns: list[str]
    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None


class Durations(BaseModel):
    """Hours from creation, over the referrals that reached the step; None when fewer than k did."""

    count: int | None
    median_hours: float | None
    p90_hours: float | None


class WorkingGroup(BaseModel):
    meetings_by_quarter: dict[str, int]
    quarters_without_meeting: list[str]
    meetings_held: int
    meetings_quorate: int
    protocols_signed: int
    decisions: int
    decisions_by_head: int
    nap_by_status: dict[str, int]
    nap_by_body: dict[str, int]
    nap_overdue: int
    nap_total: int


class Dashboard(BaseModel):
    suppression_k: int | None  # None: exact figures (the hotline's director)
    # A suppressed reader's figures cover whole local quarters that have ended: these (None: exact
    # figures of the period as asked).
    quarters: list[str] | None = None
    # None: hidden (a suppressed reader's filtered total below k).
    calls_total: int | None
    crisis_calls: int | None
    returning_callers: int | None
    high_risk_alerts: int | None
    calls: list[Table]
    referrals_total: int
    referrals: list[Table]
    acknowledgement: Durations
    outcome: Durations
    overdue_share: float | None
    working_group: WorkingGroup
    newest_event_at: datetime | None


class Statistics(BaseModel):
    # As in Dashboard: the quarters a suppressed reader's figures cover (None: exact, as asked).
    quarters: list[str] | None = None
    calls_total: int | None
    calls_by_line: dict[str, int | None]
    calls_by_caller_role: dict[str, int | None]
    calls_by_purpose: dict[str, int | None]
    referrals_total: int
    referrals_by_service_type: dict[str, int | None]
    meetings_total: int
    newest_event_at: datetime | None


class CrossQuery(BaseModel):
    rows: Literal[CALL_DIMENSIONS]  # type: ignore[valid-type]
    columns: Literal[CALL_DIMENSIONS]  # type: ignore[valid-type]
