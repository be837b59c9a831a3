"""What any input must be before a handler sees it, once for every service:

- JSON text is text: a lone surrogate (`"\\ud800"`, valid JSON escape, not a character) cannot be
  encoded as UTF-8 by the database, the broker or the response, and a NUL is refused by PostgreSQL.
  `JsonTextGuard` (installed by `hotline_common.http.create_app`) answers 422 naming the field
  before any route runs, for every JSON body of every route.
- Numbers and times have sane bounds: `Int64` (and `INT64_MAX` for `Query(le=...)`) fits the
  databases' 64-bit integers; `Moment`, `AwareMoment` and `Day` hold dates of years
  `EARLIEST_YEAR`..`LATEST_YEAR`, so that moving one to another time zone, or a day or a quarter
  further, cannot leave what Python's datetime can hold (year 1..9999).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, AwareDatetime, Field
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hotline_common.errors import FieldProblem, InvalidInput, Location, ValueProblem, problems_body
from hotline_common.i18n_markers import N_

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)
EARLIEST_YEAR = 1900
LATEST_YEAR = 2199

LONE_SURROGATE = N_("contains a lone surrogate, which is not text")
NUL_CHARACTER = N_("contains a NUL character, which is not text")
OUT_OF_YEARS = N_("must be a date in the years {earliest} to {latest}")

D = TypeVar("D", bound=date)


def within_years(value: D) -> D:
    # The year as written: an offset of at most a day moves it by one, which the bounds allow for.
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueProblem(OUT_OF_YEARS, earliest=EARLIEST_YEAR, latest=LATEST_YEAR)
    return value


def day_from_text(text: str) -> date:
    """A page's YYYY-MM-DD (query or form) in the sane years; a ValueError (ValueProblem) otherwise."""
    return within_years(date.fromisoformat(text))


Int64 = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]
Moment = Annotated[datetime, AfterValidator(within_years)]  # naive ones are refused where the schema says
AwareMoment = Annotated[AwareDatetime, AfterValidator(within_years)]
Day = Annotated[date, AfterValidator(within_years)]


# Only a body with one of these escapes can decode to a bad string (a raw NUL is invalid JSON).
SUSPECT_ESCAPE = re.compile(rb"\\u(?:[dD][89a-fA-F]|0000)")
JSON_TYPE = re.compile(r"^application/(?:[\w.+-]+\+)?json\s*(?:;|$)", re.IGNORECASE)
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return NUL_CHARACTER
    if any("\ud800" <= ch <= "\udfff" for ch in text):  # json pairs valid surrogates into one character
        return LONE_SURROGATE
    return None


def _shown(key: str) -> str:
    """A key as the answer can spell it (the key itself may be the bad text)."""
    return key.encode("utf-8", "backslashreplace").decode("utf-8")


def bad_texts(value: Any, where: Location = ("body",)) -> Iterator[FieldProblem]:
    """Every string (keys too) of a decoded JSON value that is not UTF-8 text, by its location."""
    if isinstance(value, str):
        problem = _text_problem(value)
        if problem:
            yield FieldProblem(".".join(str(p) for p in where), problem)
    elif isinstance(value, dict):
        for key, item in value.items():
            problem = _text_problem(key)
            if problem:
                yield FieldProblem(".".join(str(p) for p in (*where, _shown(key))), problem)
            yield from bad_texts(item, (*where, _shown(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from bad_texts(item, (*where, index))


def json_text_problems(body: bytes) -> list[FieldProblem]:
    if not SUSPECT_ESCAPE.search(body):
        return []
    try:
        decoded = json.loads(body)
    except ValueError:
        return []  # not JSON: the route's own validation answers that
    return list(bad_texts(decoded))


class JsonTextGuard:
    """Refuses (422) a JSON body whose strings are not text, before any route reads it. Plain ASGI:
    the body is read here (the route reads JSON whole anyway) and handed on unchanged."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        if not JSON_TYPE.match(Headers(scope=scope).get("content-type", "")):
            await self.app(scope, receive, send)
            return
        messages, body = await _read_body(receive)
        problems = json_text_problems(body)
        if problems:
            response = JSONResponse(problems_body(InvalidInput(problems)), status_code=422)
            await response(scope, receive, send)
            return
        await self.app(scope, _replaying(messages, receive), send)


async def _read_body(receive: Receive) -> tuple[list[Message], bytes]:
    messages: list[Message] = []
    chunks: list[bytes] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break  # the client left
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return messages, b"".join(chunks)


def _replaying(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return replay
