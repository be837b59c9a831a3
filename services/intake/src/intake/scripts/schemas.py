from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from hotline_common.web.inputs import Int64


class ScriptSave(BaseModel):
    """A new version of the script for (purpose, destination, language); creates the script if new."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    purpose: str = Field(max_length=40)
    destination_country: str = Field(default="", max_length=2)
    language: str = Field(max_length=5)
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=20_000)
    # The version the director edited; a newer one saved meanwhile is a conflict, not an overwrite.
    base_version: Int64 | None = Field(default=None, ge=1)


class ScriptVersionOut(BaseModel):
    script_id: str
    version_id: str
    purpose: str
    destination_country: str
    language: str
    version: int
    current_version: int
    title: str
    body: str
    author_id: str
    created_at: datetime
