"""The Working Group's voting rules (DOMAIN.md §2), pure: no I/O, integers only.

Quorum: at least two thirds of the members take part, i.e. 3 * present >= 2 * members.
A group with no members has no quorum (nothing can be adopted by nobody).

Outcome of a proposal, from the votes cast by present members:
- a simple majority of the votes cast decides: adopted when for > against; abstentions are not
  votes cast and count for neither side;
- on a tie (for == against, for > 0) the head's vote decides: the side the head voted on wins;
- a tie the head did not break (head abstained, absent, or did not vote) is NOT adopted:
  adoption needs a majority, and there is none;
- zero votes cast (nobody voted, or everybody abstained) is a 0-0 tie nobody broke: NOT adopted.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Presence(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    # A delegated replacement came instead of the member: recorded, but not the member taking part
    # (membership is personal, approved by the Coordinator), so no quorum and no vote.
    REPLACED = "replaced"
    ABSENT = "absent"


class Choice(StrEnum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


def takes_part(presence: Presence) -> bool:
    return presence in (Presence.IN_PERSON, Presence.ONLINE)


def quorum_needed(members: int) -> int:
    """The fewest present members that make a quorum: ceil(2 * members / 3), at least 1."""
    return max(1, (2 * members + 2) // 3)


def has_quorum(present: int, members: int) -> bool:
    return members > 0 and 3 * present >= 2 * members


@dataclass(frozen=True)
class Outcome:
    adopted: bool
    votes_for: int
    votes_against: int
    abstentions: int
    # True when for == against and the head's for/against vote settled it.
    decided_by_head: bool

    @property
    def votes_cast(self) -> int:
        return self.votes_for + self.votes_against


def decide(votes: Mapping[str, Choice], head: str | None) -> Outcome:
    """`votes` maps each voting member to their single choice; `head` is the head's member id."""
    votes_for = sum(1 for c in votes.values() if c is Choice.FOR)
    votes_against = sum(1 for c in votes.values() if c is Choice.AGAINST)
    abstentions = len(votes) - votes_for - votes_against
    head_choice = votes.get(head) if head is not None else None
    tie_broken = votes_for == votes_against and head_choice in (Choice.FOR, Choice.AGAINST)
    if votes_for != votes_against:
        adopted = votes_for > votes_against
    else:
        adopted = tie_broken and head_choice is Choice.FOR
    return Outcome(
        adopted=adopted,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        decided_by_head=tie_broken,
    )
