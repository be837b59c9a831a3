from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from hotline_common.web.inputs import Int64


class DraftFields(BaseModel):
    """The call sheet as typed so far: anything goes, it is checked when the call is recorded."""

    model_config = ConfigDict(extra="forbid")

    line: str = Field(default="", max_length=20)
    caller_role: str = Field(default="", max_length=30)
    purpose: str = Field(default="", max_length=40)
    note: str = Field(default="", max_length=10_000)
    # The rest of the record sheet as typed (codes, ticks, times, the agency name): the whole form
    # comes back after a reload. Checked only when the call is recorded.
    sheet: dict[
        Annotated[str, Field(max_length=40)],
        Annotated[str, Field(max_length=300)] | bool | list[Annotated[str, Field(max_length=40)]],
    ] = Field(default={}, max_length=80)


class DraftSave(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Int64 = Field(ge=1)
    fields: DraftFields


class DraftOut(BaseModel):
    id: str
    version: int
    fields: DraftFields
    updated_at: datetime
