"""The referral lifecycle: one transition table, and who may make each move.

    draft ─▶ sent ─▶ acknowledged ─▶ accepted ─▶ in_progress ─▶ completed
                                  └▶ declined (reason code)   └▶ closed_unreachable
    withdrawn: from any open status, by the hotline only.     (accepted ─▶ closed_unreachable too)

Actors:
- hotline: operators and the director (tokens with referral:read_all). They create referrals (as
  draft or sent), send drafts, and withdraw. They never act for the partner: an acknowledgement
  must come from the receiving organisation.
- partner: a user (or system) of the receiving organisation (role partner, `org` = the referral's
  organisation). Acknowledges, accepts or declines, starts and closes the work.
- link: the holder of a one-time link (a specialist without an account) — the partner's moves.
- system: the service itself (overdue escalation); it never changes the status.

A move not in the table is an `InvalidTransition` (HTTP 409, gRPC FAILED_PRECONDITION) naming
from and to; a move in the table by the wrong actor is `PermissionDenied`.
"""

from hotline_common.errors import DomainError, InvalidInput, PermissionDenied

DRAFT, SENT, ACKNOWLEDGED, ACCEPTED, DECLINED = "draft", "sent", "acknowledged", "accepted", "declined"
IN_PROGRESS, COMPLETED, CLOSED_UNREACHABLE, WITHDRAWN = "in_progress", "completed", "closed_unreachable", "withdrawn"
STATUSES = (DRAFT, SENT, ACKNOWLEDGED, ACCEPTED, DECLINED, IN_PROGRESS, COMPLETED, CLOSED_UNREACHABLE, WITHDRAWN)
FINAL = frozenset({DECLINED, COMPLETED, CLOSED_UNREACHABLE, WITHDRAWN})

HOTLINE, PARTNER, LINK, SYSTEM = "hotline", "partner", "link", "system"
RECEIVER = frozenset({PARTNER, LINK})

# (from, to) -> the actor kinds that may make the move. Everything else is refused.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (DRAFT, SENT): frozenset({HOTLINE}),
    (DRAFT, WITHDRAWN): frozenset({HOTLINE}),
    (SENT, ACKNOWLEDGED): RECEIVER,
    (SENT, WITHDRAWN): frozenset({HOTLINE}),
    (ACKNOWLEDGED, ACCEPTED): RECEIVER,
    (ACKNOWLEDGED, DECLINED): RECEIVER,
    (ACKNOWLEDGED, WITHDRAWN): frozenset({HOTLINE}),
    (ACCEPTED, IN_PROGRESS): RECEIVER,
    (ACCEPTED, CLOSED_UNREACHABLE): RECEIVER,
    (ACCEPTED, WITHDRAWN): frozenset({HOTLINE}),
    (IN_PROGRESS, COMPLETED): RECEIVER,
    (IN_PROGRESS, CLOSED_UNREACHABLE): RECEIVER,
    (IN_PROGRESS, WITHDRAWN): frozenset({HOTLINE}),
}

# Reason codes (never free text: they go into events and statistics).
DECLINE_REASONS = ("no_capacity", "not_eligible", "outside_area", "service_unavailable", "caller_refused", "other")
WITHDRAW_REASONS = ("caller_withdrew", "referred_elsewhere", "created_in_error", "other")
CLOSE_REASONS = ("no_answer", "wrong_number", "moved_away", "other")
REASONS = {DECLINED: DECLINE_REASONS, WITHDRAWN: WITHDRAW_REASONS, CLOSED_UNREACHABLE: CLOSE_REASONS}


class InvalidTransition(DomainError):
    """The referral's current status does not allow this move."""

    http_status = 409
    grpc_code_name = "FAILED_PRECONDITION"


def next_statuses(current: str, actor_kind: str) -> list[str]:
    """The moves this actor may make now (what a page offers)."""
    return [to for (frm, to), kinds in TRANSITIONS.items() if frm == current and actor_kind in kinds]


def check(current: str, target: str, actor_kind: str, reason_code: str | None) -> str | None:
    """Validate one move; returns the reason code to store (None when the move takes none)."""
    if target not in STATUSES:
        raise InvalidInput.single(
            "to_status", "unknown status {status}; one of {statuses}", status=repr(target), statuses=", ".join(STATUSES)
        )
    allowed = TRANSITIONS.get((current, target))
    if allowed is None:
        raise InvalidTransition("a referral cannot move from {current} to {target}", current=current, target=target)
    if actor_kind not in allowed:
        who = " or ".join(sorted(allowed))
        raise PermissionDenied(
            "moving a referral from {current} to {target} is for the {who}, not the {actor}",
            current=current,
            target=target,
            who=who,
            actor=actor_kind,
        )
    codes = REASONS.get(target)
    if codes is None:
        if reason_code:
            raise InvalidInput.single("reason_code", "{status} takes no reason code", status=target)
        return None
    if not reason_code:
        if target == DECLINED:
            raise InvalidInput.single("reason_code", "declining needs a reason code: {codes}", codes=", ".join(codes))
        return None
    if reason_code not in codes:
        raise InvalidInput.single(
            "reason_code", "unknown reason for {status}; one of {codes}", status=target, codes=", ".join(codes)
        )
    return reason_code


def path_to(current: str, target: str, actor_kind: str) -> list[str]:
    """The shortest chain of allowed moves from current to target for this actor (the one-time link
    reports an outcome in one step; each intermediate move is still checked and recorded)."""
    frontier, seen = [[current]], {current}
    while frontier:
        route = frontier.pop(0)
        if route[-1] == target:
            return route[1:]
        for nxt in next_statuses(route[-1], actor_kind):
            if nxt not in seen:
                seen.add(nxt)
                frontier.append([*route, nxt])
    raise InvalidTransition("a referral cannot move from {current} to {target}", current=current, target=target)
