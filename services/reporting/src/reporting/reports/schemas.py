import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ValidationInfo, field_validator

QUARTER = re.compile(r"^(20\d\d)-Q([1-4])$")
YEAR = re.compile(r"^20\d\d$")


class ReportRequest(BaseModel):
    kind: Literal["quarterly", "annual"]
    period: str
    language: Literal["az", "en", "ru"] = "az"

    @field_validator("period")
    @classmethod
    def check_period(cls, period: str, info: ValidationInfo) -> str:
        # Named on `period`, so the API's 422 and the page's message sit on that field.
        pattern = QUARTER if info.data.get("kind") == "quarterly" else YEAR
        if not pattern.match(period):
            raise ValueError("period must look like 2026-Q3 for a quarterly report, 2026 for an annual one")
        return period


class ReportJobOut(BaseModel):
    id: str
    kind: str
    period: str
    language: str
    status: str
    progress: int
    scheduled: bool
    created_at: datetime
    finished_at: datetime | None
    error: str
