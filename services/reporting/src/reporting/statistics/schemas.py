from datetime import datetime

from pydantic import BaseModel, model_validator


class StatisticsQuery(BaseModel):
    from_time: datetime | None = None
    to_time: datetime | None = None

    @model_validator(mode="after")
    def check_range(self):
        for name in ("from_time", "to_time"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValueError(f"{name} needs a time zone")
        if self.from_time and self.to_time and self.from_time >= self.to_time:
            raise ValueError("from_time must be before to_time")
        return self


class Statistics(BaseModel):
    calls_total: int
    calls_by_line: dict[str, int]
    calls_by_caller_role: dict[str, int]
    calls_by_purpose: dict[str, int]
    referrals_total: int
    referrals_by_service_type: dict[str, int]
    meetings_total: int
    newest_event_at: datetime | None
