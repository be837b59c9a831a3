"""Every service's OpenAPI, fuzzed against the whole system on real ports: whatever a client sends,
no answer is a server error (security issue, item 17). Two passes per operation:

- schemathesis: a few derandomized examples (valid ones and ones that break the schema), no
  shrinking, no example database;
- hostile values: a valid example with every integer the operation takes (query or JSON body,
  optional ones included) one past 64 bits, every time and date at the ends of what Python's
  datetime holds, and a lone surrogate after every JSON string: what once gave 500s, on every
  route a service has or gets.

Each operation is called as the first of its service's roles that gets past its access check, so
the handler runs rather than the check."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from hotline_devstack.system import SERVICES
from hotline_devstack.testing import bearer, sign_in

EXAMPLES_PER_OPERATION = 3
# The roles whose tokens reach each service's handlers, in the order tried.
ROLES = {
    "intake": ("director", "operator", "admin"),
    "referrals": ("admin", "operator", "partner"),
    "coordination": ("secretary", "coordinator", "wgmember", "admin"),
    "reporting": ("director", "analyst"),
}
# Operations that end the session of the token they are called with: each call signs in anew.
ENDS_OWN_SESSION = {("intake", "POST /api/v1/auth/logout")}
# Sign-ins with fuzzed passwords count against the client address: called last, after every other.
SIGN_IN = {("intake", "POST /api/v1/auth/token")}
REFUSED = {401, 403}

PAST_INT64 = 2**63
HOSTILE: dict[str, list[Any]] = {
    "integer": [PAST_INT64],
    "date-time": ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00"],
    "date": ["9999-12-31", "0001-01-01"],
}
LONE_SURROGATE = "\ud800"

Headers = Callable[[], dict[str, str]]
Path = tuple[str | int, ...]


@dataclass
class Findings:
    calls: int = 0
    server_errors: list[str] = field(default_factory=list)

    def record(self, status: int, operation, shown: str) -> None:
        self.calls += 1
        # A 503 is an answer only where the operation documents it (a dependency that is down).
        documented = set(operation.definition.raw.get("responses", {}))
        if status >= 500 and not (status == 503 and "503" in documented):
            self.server_errors.append(f"{status} {operation.label}\n    {shown}")


@pytest.fixture(scope="module")
def tokens(shared_system) -> dict[str, str]:
    intake = shared_system.http_url("intake")
    return {role: sign_in(intake, role) for roles in ROLES.values() for role in roles}


def run_examples(strategy, count: int, each: Callable[[Any], None]) -> None:
    """`each` on `count` cases drawn from `strategy`, the same ones on every run."""

    @settings(
        max_examples=count,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case) -> None:
        each(case)

    run()


def first_valid_case(operation):
    found: list[Any] = []
    run_examples(operation.as_strategy(generation_mode=GenerationMode.POSITIVE), 1, found.append)
    return found[0]


def fuzz(session: requests.Session, operation, base_url: str, headers_for: Headers, findings: Findings) -> None:
    strategy = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    def call(case) -> None:
        headers = headers_for()
        response = case.call(base_url=base_url, session=session, headers=headers, timeout=30)
        findings.record(response.status_code, operation, case.as_curl_command(headers=headers))

    run_examples(strategy, EXAMPLES_PER_OPERATION, call)


# The hostile pass reads the schema itself: a valid example leaves most optional fields out.
class Schema:
    def __init__(self, raw: dict[str, Any]):
        self.raw = raw

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.raw["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def alternatives(self, schema: dict[str, Any]) -> list[dict[str, Any]]:
        schema = self.resolve(schema)
        nested = schema.get("anyOf") or schema.get("oneOf") or schema.get("allOf")
        if nested:
            return [alt for option in nested for alt in self.alternatives(option)]
        return [schema]

    def kinds(self, schema: dict[str, Any]) -> set[str]:
        found = set()
        for alt in self.alternatives(schema):
            kind = alt.get("format") if alt.get("format") in ("date-time", "date") else alt.get("type")
            found.add(kind or "any")
        return found

    def properties(self, schema: dict[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for alt in self.alternatives(schema):
            found.update(alt.get("properties", {}))
        return found

    def slots(self, schema: dict[str, Any], value: Any, kind: str, at: Path = ()) -> list[Path]:
        """Where in `value` a `kind` goes: its leaves of that kind, and the optional fields of that
        kind it leaves out (a list: its first item)."""
        if isinstance(value, dict):
            found = []
            for name, sub in self.properties(schema).items():
                if name in value:
                    found += self.slots(sub, value[name], kind, (*at, name))
                elif kind in self.kinds(sub):
                    found.append((*at, name))
            return found
        if isinstance(value, list):
            items = [alt["items"] for alt in self.alternatives(schema) if "items" in alt]
            return self.slots(items[0], value[0], kind, (*at, 0)) if items and value else []
        return [at] if kind in self.kinds(schema) else []


def set_at(value: Any, at: Path, hostile: Any) -> Any:
    """A copy of `value` with `hostile` at `at`."""
    if not at:
        return hostile
    head, rest = at[0], at[1:]
    if isinstance(value, list):
        return [set_at(item, rest, hostile) if index == head else item for index, item in enumerate(value)]
    return {**value, head: set_at(value.get(head), rest, hostile)}


def with_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return value + LONE_SURROGATE
    if isinstance(value, dict):
        return {key: with_surrogates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [with_surrogates(item) for item in value]
    return value


def json_body_schema(operation) -> dict[str, Any] | None:
    content = operation.definition.raw.get("requestBody", {}).get("content", {})
    return content.get("application/json", {}).get("schema")


def hostile_requests(schema: Schema, operation, case) -> list[tuple[dict[str, Any], Any]]:
    """(query, JSON body) pairs: the valid case with one hostile value at a time (a bad value beside
    it would be refused first and hide it), and one with a lone surrogate after every string."""
    body_schema = json_body_schema(operation)
    body = case.body if body_schema is not None and isinstance(case.body, dict | list) else None
    query = dict(case.query or {})
    parameters = [p for p in operation.definition.raw.get("parameters", []) if p["in"] == "query"]
    variants = []
    for kind, values in HOSTILE.items():
        for hostile in values:
            for parameter in parameters:
                if kind in schema.kinds(parameter.get("schema", {})):
                    variants.append(({**query, parameter["name"]: str(hostile)}, body))
            if body is not None and body_schema is not None:
                variants += [(query, set_at(body, at, hostile)) for at in schema.slots(body_schema, body, kind)]
    if body is not None and with_surrogates(body) != body:
        variants.append((query, with_surrogates(body)))
    return variants


def hostile(
    session: requests.Session, schema: Schema, operation, case, base_url: str, headers_for: Headers, findings: Findings
) -> None:
    url = base_url + case.formatted_path
    for query, body in hostile_requests(schema, operation, case):
        headers = headers_for()
        content = None
        if body is not None:  # \u escapes: a lone surrogate is valid JSON, not encodable UTF-8
            headers = {**headers, "content-type": "application/json"}
            content = json.dumps(body).encode()
        method = operation.method.upper()
        try:
            status = session.request(method, url, params=query, data=content, headers=headers, timeout=30).status_code
        except requests.ConnectionError:
            # A server drops the connection after a 500; this request goes again on a new one.
            status = requests.request(method, url, params=query, data=content, headers=headers, timeout=30).status_code
        findings.record(status, operation, f"{method} {url} {query} {content!r}")


def reaching_role(
    session: requests.Session, operation, case, base_url: str, tokens: dict[str, str], roles: tuple[str, ...]
) -> str:
    """The first role that gets past the access check of `operation` (else the last one)."""
    for role in roles:
        response = case.call(base_url=base_url, session=session, headers=bearer(tokens[role]), timeout=30)
        if response.status_code not in REFUSED:
            return role
    return roles[-1]


def headers_for(
    session: requests.Session, service: str, operation, case, base_url: str, intake_url: str, tokens: dict[str, str]
) -> Headers:
    key = (service, operation.label)
    if key in ENDS_OWN_SESSION:
        return lambda: bearer(sign_in(intake_url, "operator"))
    if key in SIGN_IN:
        return dict
    role = reaching_role(session, operation, case, base_url, tokens, ROLES[service])
    return lambda: bearer(tokens[role])


def fuzz_service(service: str, base_url: str, intake_url: str, tokens: dict[str, str]) -> Findings:
    loaded = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    schema = Schema(loaded.raw_schema)
    findings = Findings()
    operations = [result.ok() for result in loaded.get_all_operations()]  # type: ignore[union-attr]
    operations.sort(key=lambda operation: (service, operation.label) in SIGN_IN)
    session = requests.Session()  # one connection for the service's calls
    for operation in operations:
        valid = first_valid_case(operation)
        headers = headers_for(session, service, operation, valid, base_url, intake_url, tokens)
        fuzz(session, operation, base_url, headers, findings)
        hostile(session, schema, operation, valid, base_url, headers, findings)
    return findings


@pytest.mark.parametrize("service", SERVICES)
def test_no_input_gives_a_server_error(shared_system, tokens, service):
    findings = fuzz_service(service, shared_system.http_url(service), shared_system.http_url("intake"), tokens)
    assert findings.calls >= EXAMPLES_PER_OPERATION
    assert not findings.server_errors, "\n".join(findings.server_errors)
    # The system still answers (no fuzzed input took a service down).
    assert httpx.get(f"{shared_system.http_url(service)}/readyz", timeout=10).status_code == 200


def test_the_hostile_values_reach_optional_fields_and_nested_ones():
    """The pass is only as good as its reach: optional integers and times are added, nested ones replaced."""
    raw = {
        "components": {
            "schemas": {
                "Consent": {"type": "object", "properties": {"valid_until": {"type": "string", "format": "date-time"}}},
                "In": {
                    "type": "object",
                    "properties": {
                        "version": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
                        "consent": {"$ref": "#/components/schemas/Consent"},
                        "items": {"type": "array", "items": {"type": "integer"}},
                        "note": {"type": "string"},
                    },
                },
            }
        }
    }
    schema = Schema(raw)
    body = {"consent": {"valid_until": "2027-01-01T00:00:00Z"}, "items": [1, 2], "note": "x"}
    ref = {"$ref": "#/components/schemas/In"}
    assert schema.slots(ref, body, "integer") == [("version",), ("items", 0)]
    assert schema.slots(ref, body, "date-time") == [("consent", "valid_until")]
    assert set_at(body, ("items", 0), PAST_INT64)["items"] == [PAST_INT64, 2]
    assert set_at(body, ("consent", "valid_until"), "9999-12-31T23:59:59Z")["consent"] == {
        "valid_until": "9999-12-31T23:59:59Z"
    }
    assert body["items"] == [1, 2]  # copies, the case stays as drawn
    assert with_surrogates(body)["consent"]["valid_until"].endswith(LONE_SURROGATE)
    assert re.fullmatch(r".*\\ud800.*", json.dumps(with_surrogates(body)))
