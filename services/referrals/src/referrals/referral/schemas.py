from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Urgency = Literal["routine", "urgent", "emergency"]
ID_PATTERN = r"^[0-9a-fA-F-]{36}$"


class ReferralCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    contact_id: str = Field(pattern=ID_PATTERN)
    service_id: str = Field(pattern=ID_PATTERN)
    reason: str = Field(min_length=1, max_length=500)
    urgency: Urgency = "routine"


class ReferralOut(BaseModel):
    id: str
    contact_id: str
    service_id: str
    organisation_id: str
    service_type: str
    region: str
    reason: str
    urgency: str
    status: str
    created_at: datetime
