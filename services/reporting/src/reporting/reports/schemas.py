import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, model_validator

QUARTER = re.compile(r"^(20\d\d)-Q([1-4])$")
YEAR = re.compile(r"^20\d\d$")


class ReportRequest(BaseModel):
    kind: Literal["quarterly", "annual"]
    period: str
    language: Literal["az", "en", "ru"] = "az"

    @model_validator(mode="after")
    def check_period(self):
        pattern = QUARTER if self.kind == "quarterly" else YEAR
        if not pattern.match(self.period):
            raise ValueError("period must look like 2026-Q3 for a quarterly report, 2026 for an annual one")
        return self


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
