from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from coordination.database import Base
from hotline_common.db import UTCDateTime

ADOPTED = "adopted"
NOT_ADOPTED = "not_adopted"


class Proposal(Base):
    """A proposal under one agenda item; decided once, by the votes of present members."""

    __tablename__ = "wg_proposals"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    meeting_id: Mapped[str] = mapped_column(String(36), ForeignKey("wg_meetings.id"), index=True)
    # 1-based number of the agenda item
    agenda_item: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(2000))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Null until decided; then adopted or not_adopted with the counts it was decided on.
    outcome: Mapped[str | None] = mapped_column(String(20))
    votes_for: Mapped[int | None] = mapped_column(Integer)
    votes_against: Mapped[int | None] = mapped_column(Integer)
    abstentions: Mapped[int | None] = mapped_column(Integer)
    decided_by_head: Mapped[bool | None] = mapped_column(Boolean)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Vote(Base):
    """One member's one vote on one proposal (the primary key forbids a second)."""

    __tablename__ = "wg_votes"

    proposal_id: Mapped[str] = mapped_column(String(36), ForeignKey("wg_proposals.id"), primary_key=True)
    member_id: Mapped[str] = mapped_column(String(36), ForeignKey("wg_members.id"), primary_key=True)
    # for, against or abstain (rules.Choice)
    choice: Mapped[str] = mapped_column(String(10))
    # Who entered it: the member themselves, or the Coordinator's office recording a show of hands.
    recorded_by: Mapped[str] = mapped_column(String(100))
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime)
