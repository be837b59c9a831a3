"""What any input must be before a handler sees it (hotline_common.web.inputs), over create_app's
real middleware stack, in-process: JSON strings are text, integers fit 64 bits, dates lie in sane years."""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime

import httpx
import pytest
from pydantic import BaseModel, ConfigDict, Field

from hotline_common.http import create_app
from hotline_common.web.inputs import INT64_MAX, AwareMoment, Day, Int64, Moment

BEARER = {"Authorization": "Bearer not-checked-here"}  # the routes below check none; no CSRF proof needed


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = ""
    tags: list[str] = []
    sheet: dict[str, str] = {}
    version: Int64 = Field(default=1, ge=1)
    at: Moment | None = None
    until: AwareMoment | None = None
    on: Day | None = None


received: list[Note] = []


async def ready() -> dict[str, bool]:
    return {"ok": True}


app = create_app("inputs test", ready)


@app.post("/notes")
async def post_note(note: Note) -> dict[str, str]:
    received.append(note)
    return {"text": note.text}


def post(body: str | bytes, content_type: str = "application/json") -> httpx.Response:
    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://inputs.test") as client:
            headers = {**BEARER, "content-type": content_type}
            return await client.post("/notes", content=body, headers=headers)

    return asyncio.run(send())


def fields(response: httpx.Response) -> set[str]:
    assert response.status_code == 422, response.text
    return {".".join(str(p) for p in item["loc"]) for item in response.json()["detail"]}


@pytest.fixture(autouse=True)
def nothing_received():
    received.clear()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"text": "a\ud800"}, "body.text"),
        ({"text": "\udfff"}, "body.text"),
        ({"tags": ["ok", "\udc00x"]}, "body.tags.1"),
        ({"sheet": {"agency": "\ud83d"}}, "body.sheet.agency"),
        ({"sheet": {"\ud800": "x"}}, "body.sheet.\\ud800"),
        ({"text": "a\x00b"}, "body.text"),
    ],
)
def test_json_strings_that_are_not_text_are_refused_before_the_route(body, field):
    response = post(json.dumps(body))
    assert field in fields(response)
    assert response.json()["detail"][0]["type"] == "value_error"
    assert received == []


def test_text_with_escapes_and_a_surrogate_pair_passes_unchanged():
    response = post(json.dumps({"text": "😀 Bakı \\u0000 \u00e7"}))  # ensure_ascii: \ud83d\ude00, a pair
    assert response.status_code == 200, response.text
    assert received[0].text == "😀 Bakı \\u0000 \u00e7"


def test_a_body_that_is_not_json_is_left_to_the_route():
    assert post(b'{"text": "\\ud800"', "application/json").status_code == 422  # FastAPI's own json_invalid
    assert post(json.dumps({"text": "\ud800"}), "text/plain").status_code == 422  # not read as JSON at all
    assert received == []


@pytest.mark.parametrize(
    "change, field",
    [
        ({"version": INT64_MAX + 1}, "body.version"),
        ({"at": "9999-12-31T23:59:59Z"}, "body.at"),
        ({"at": "0001-01-01T00:00:00+14:00"}, "body.at"),
        ({"until": "2026-12-01T10:00:00"}, "body.until"),
        ({"until": "1899-12-31T23:00:00+00:00"}, "body.until"),
        ({"on": "9999-12-31"}, "body.on"),
    ],
)
def test_numbers_and_dates_out_of_bounds_are_refused(change, field):
    assert field in fields(post(json.dumps(change)))
    assert received == []


def test_numbers_and_dates_in_bounds_pass():
    body = {
        "version": INT64_MAX,
        "at": "2199-12-31T23:59:59+14:00",
        "until": "1900-01-01T00:00:00-12:00",
        "on": "2026-12-02",
    }
    assert post(json.dumps(body)).status_code == 200
    assert received[0].version == INT64_MAX and received[0].on == date(2026, 12, 2)
    assert isinstance(received[0].at, datetime) and received[0].at.year == 2199
