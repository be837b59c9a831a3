from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text300 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: Text300
    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
    confidentiality: Literal["public", "internal", "confidential"] = "internal"
    to_all: bool = False
    # Participants' subjects (see GET /participants); ignored when to_all.
    recipients: list[Annotated[str, StringConstraints(min_length=1, max_length=100)]] = Field(
        default_factory=list, max_length=200
    )
    is_proposal: bool = False


class Participant(BaseModel):
    subject: str
    name: str
    body: str


class ReceiptOut(BaseModel):
    recipient: str
    name: str
    read_at: datetime | None


class MessageOut(BaseModel):
    id: str
    sender: str
    sender_name: str
    title: str
    body: str
    confidentiality: str
    to_all: bool
    reply_to: str | None
    is_proposal: bool
    agenda_meeting_id: str | None
    sent_at: datetime
    read_at: datetime | None = None  # the reader's own receipt
    receipts: list[ReceiptOut] = []  # shown to the sender only
    replies: list["MessageOut"] = []


class LibraryIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: Text300
    kind: Literal["document", "practice"]
    description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
    body: Text300


class LibraryOut(BaseModel):
    id: str
    title: str
    kind: str
    description: str
    body: str
    filename: str | None
    added_at: datetime
