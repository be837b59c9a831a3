"""The canonical serialisation of a protocol: the exact bytes the head's Ed25519 key signs.

Format `hotline.coordination.protocol/1`:
- a JSON object with exactly the fields in FIELDS (no more, no fewer), nested objects likewise
  built only by protocols.document;
- keys sorted (at every level), no insignificant whitespace (separators "," and ":"),
  UTF-8 with non-ASCII characters written as themselves (ensure_ascii off), no NaN/Infinity;
- numbers are integers only (counts, agenda numbers); times are UTC, ISO 8601 to the second with a
  `Z` suffix; dates are ISO 8601 (YYYY-MM-DD); absent values are JSON null;
- lists keep the order the document gives them (attendance by member name then id, agenda in
  order, proposals by agenda item then creation, votes by member name).

Verification parses the stored text, re-serialises it with these rules and requires the same bytes,
so a body edited even in whitespace fails, before the signature is checked."""

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

from hotline_common.i18n_markers import N_

FORMAT = "hotline.coordination.protocol/1"
FIELDS = frozenset(
    {
        "format",
        "protocol_id",
        "meeting",
        "head",
        "attendance",
        "quorum",
        "agenda",
        "notes",
        "proposals",
        "assignments",
        "supersedes",
        "correction_reason",
        "signer",
    }
)


def canonical_bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode(
        "utf-8"
    )


def digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def utc_text(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def date_text(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def problem_with(document: object) -> tuple[str, dict[str, object]] | None:
    """Why a parsed document is not a protocol of this format (a template and its parameters), or None."""
    if not isinstance(document, dict):
        return N_("not a protocol: not a JSON object"), {}
    if document.get("format") != FORMAT:
        return N_("not a protocol: unknown format {format}"), {"format": repr(document.get("format"))}
    if set(document) != FIELDS:
        extra, missing = set(document) - FIELDS, FIELDS - set(document)
        return (
            N_("not a protocol: fields differ from the format: extra {extra}, missing {missing}"),
            {"extra": sorted(extra), "missing": sorted(missing)},
        )
    return None
