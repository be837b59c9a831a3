"""The access audit's hash chain: each entry's hash covers its fields and the previous entry's
hash, so an edited, deleted or reordered entry breaks every link after it. Pure functions only;
the canonical form must never change (old chains are verified with it)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from intake.audit.models import AccessAuditEntry

GENESIS = "0" * 64


def entry_hash(
    *,
    seq: int,
    id: str,
    at: datetime,
    actor_id: str,
    actor_role: str,
    action: str,
    record_type: str,
    record_id: str,
    interface: str,
    reason: str,
    prev_hash: str,
) -> str:
    canonical = json.dumps(
        [seq, id, at.isoformat(), actor_id, actor_role, action, record_type, record_id, interface, reason, prev_hash],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class BrokenLink:
    seq: int
    entry_id: str
    problem: str

    def __str__(self) -> str:
        return f"entry {self.seq} ({self.entry_id}): {self.problem}"


def first_broken_link(
    entries: Iterable[AccessAuditEntry], expected_seq: int = 1, prev_hash: str = GENESIS
) -> tuple[BrokenLink | None, int, str]:
    """Walk entries in seq order from (expected_seq, prev_hash); the first broken link, if any,
    and where the walk stopped (so a long chain can be checked page by page)."""
    for entry in entries:
        if entry.seq != expected_seq:
            return (
                BrokenLink(entry.seq, entry.id, f"expected entry {expected_seq}: an entry is missing"),
                expected_seq,
                prev_hash,
            )
        if entry.prev_hash != prev_hash:
            return BrokenLink(entry.seq, entry.id, "does not follow the previous entry"), expected_seq, prev_hash
        recomputed = entry_hash(
            seq=entry.seq,
            id=entry.id,
            at=entry.at,
            actor_id=entry.actor_id,
            actor_role=entry.actor_role,
            action=entry.action,
            record_type=entry.record_type,
            record_id=entry.record_id,
            interface=entry.interface,
            reason=entry.reason,
            prev_hash=entry.prev_hash,
        )
        if recomputed != entry.entry_hash:
            return (
                BrokenLink(entry.seq, entry.id, "its content was changed after it was written"),
                expected_seq,
                prev_hash,
            )
        expected_seq, prev_hash = expected_seq + 1, entry.entry_hash
    return None, expected_seq, prev_hash
