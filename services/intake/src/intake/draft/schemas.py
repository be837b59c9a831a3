from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class DraftFields(BaseModel):
    """The call sheet as typed so far: anything goes, it is checked when the call is recorded."""

    model_config = ConfigDict(extra="forbid")

    line: str = Field(default="", max_length=20)
    caller_role: str = Field(default="", max_length=30)
    purpose: str = Field(default="", max_length=40)
    note: str = Field(default="", max_length=10_000)


class DraftSave(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    fields: DraftFields


class DraftOut(BaseModel):
    id: str
    version: int
    fields: DraftFields
    updated_at: datetime
