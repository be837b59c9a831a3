"""What a real referrals process's spans carry (OTEL_TRACES_EXPORTER=jsonl): no directory search text
from a URL's query string, on the REST API or the directory's pages, and no one-time link token
from a path (the route template stands in its place)."""

from __future__ import annotations

import json

import httpx

from hotline_common.auth import SESSION_COOKIE, Role
from hotline_devstack.testing import wait_until

SEARCH_TEXT = "Zumrudxanim-searched-this"
PAGE_TEXT = "Gulnare-typed-this"
LINK_TOKEN = "Q2xpY2tlZC1saW5rLXRva2VuLXRoYXQtaXMtbm90LWluLXRyYWNlcw"


def spans(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line] if path.exists() else []


def test_spans_carry_no_search_text_and_no_link_token(tmp_path, referrals_process):
    span_file = tmp_path / "spans-referrals.jsonl"
    database = f"sqlite+aiosqlite:///{tmp_path / 'referrals.db'}"
    env = {"OTEL_TRACES_EXPORTER": "jsonl", "OTEL_EXPORTER_JSONL_PATH": str(span_file), "OTEL_BSP_SCHEDULE_DELAY": "50"}
    with referrals_process(database, **env) as referrals:
        operator = referrals.headers(Role.OPERATOR)
        found = httpx.get(f"{referrals.http}/api/v1/services", headers=operator, params={"text": SEARCH_TEXT})
        assert found.status_code == 200, found.text
        director = referrals.issuer.issue(subject="director-1", role=Role.DIRECTOR, name="director")
        listed = httpx.get(
            f"{referrals.http}/directory", params={"text": PAGE_TEXT}, cookies={SESSION_COOKIE: director}
        )
        assert listed.status_code == 200, listed.text
        assert httpx.get(f"{referrals.http}/link/{LINK_TOKEN}").status_code == 410

        routes = {"/api/v1/services", "/directory", "/link/{token}"}
        wait_until(
            lambda: routes <= {s["attributes"].get("http.route") for s in spans(span_file)},
            timeout=20,
            message="the three requests' server spans exported",
        )
    exported = span_file.read_text()
    for secret in (SEARCH_TEXT, PAGE_TEXT, LINK_TOKEN):
        assert secret not in exported, f"{secret!r} reached the traces"
    served = [s for s in spans(span_file) if s["attributes"].get("http.route") == "/api/v1/services"]
    assert served[0]["attributes"]["http.url"].endswith("/api/v1/services"), "the URL stays, without its query"
