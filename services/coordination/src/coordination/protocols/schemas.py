from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class SignIn(BaseModel):
    """Sign the meeting's protocol; a correction names the protocol it supersedes and why."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    supersedes: str | None = Field(default=None, min_length=1, max_length=36)
    correction_reason: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)] | None
    ) = None


class ProtocolOut(BaseModel):
    id: str
    meeting_id: str
    supersedes_id: str | None
    superseded_by: str | None = None
    correction_reason: str | None
    digest: str
    key_id: str
    signed_by: str
    signed_at: datetime
    document: dict[str, Any]


class Verification(BaseModel):
    valid: bool
    # Why it failed (or "signature valid"), for a person to read.
    reason: str
    # `reason` as a template and its parameters, for pages to say in the reader's language; not
    # part of the API's answer.
    template: str = Field(default="", exclude=True)
    params: dict[str, Any] = Field(default_factory=dict, exclude=True)
    protocol_id: str | None = None
    key_id: str | None = None
    digest: str | None = None
    key_retired: bool | None = None


class ExportedProtocol(BaseModel):
    """What `GET /protocols/{id}/export` gives and `verify` accepts: the canonical body as signed
    and the signature (base64); the key is looked up by the body's signer.key_id."""

    model_config = ConfigDict(extra="forbid")

    body: str = Field(min_length=2, max_length=2_000_000)
    signature: str = Field(min_length=1, max_length=200)


class KeyOut(BaseModel):
    id: str
    subject: str
    public_key: str  # base64 of the raw 32-byte Ed25519 public key
    created_at: datetime
    retired_at: datetime | None
