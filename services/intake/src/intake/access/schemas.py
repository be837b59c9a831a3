from pydantic import BaseModel, ConfigDict, Field


class ReadRequest(BaseModel):
    """A read of a record with its reason in the body: free text stays out of URLs (traces,
    proxies and browser histories keep those)."""

    model_config = ConfigDict(extra="forbid")

    # Why the record is opened; required (at least 10 characters) without a link to the call or caller.
    reason: str = Field(default="", max_length=300)
