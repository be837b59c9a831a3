"""No personal value leaves the hotline in a trace. One flow carries every kind of personal value
through every service (a call's note, a caller's name and phone, a phone lookup, consented values
in a referral and its need, the partner's note, break-glass reasons, a password, a directory search
text, a one-time link), with every request and response header captured as an operator could
configure it; then every span of every service (name, attributes, events, links, status,
resource) is searched for each planted value in any common form."""

from __future__ import annotations

import contextlib
import json
import re
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import httpx

from hotline.reporting.v1 import reporting_pb2, reporting_pb2_grpc
from hotline_common.auth import SESSION_COOKIE
from hotline_common.demo import PARTNER_ORGANISATION_ID
from hotline_devstack.system import SERVICES
from hotline_devstack.testing import bearer, sign_in, wait_until

# The OpenTelemetry instrumentations capture these headers when asked: the scrubbing must hold even then.
CAPTURE_EVERY_HEADER = {
    "OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_REQUEST": ".*",
    "OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_RESPONSE": ".*",
}


# A JWT (its header starts '{"', base64 eyJ), a bearer credential, the pages' session cookie.
CREDENTIAL = re.compile(r"eyJ[\w-]{10,}|bearer\s|hotline_session=", re.IGNORECASE)


def mark() -> str:
    """Eight letters no hex id, count or time contains: found in any encoding of a value (percent-
    or plus-encoded in a URL, cut short) when the value itself is not."""
    return "".join(secrets.choice("ghjkmnpqrstvwxyz") for _ in range(8))


def planted() -> dict[str, str]:
    """Values found nowhere else, each ending in its own mark."""
    return {
        "caller_name": f"Zülfiyyə Qarabağlı {mark()}",
        "note_person": f"Səadət Nəsibzadə {mark()}",
        "note_words": f"Sumqayıtdakı tikinti {mark()}",
        "need": f"psixoloji dəstək {mark()}",
        "consent_purpose": f"sığınacaq yerləşdirmə {mark()}",
        "partner_note": f"görüş təyin edildi {mark()}",
        "journal_reason": f"növbə təhvili {mark()}",
        "contact_reason": f"zəng geri {mark()}",
        "directory_text": f"qadın sığınacağı {mark()}",
        "password": f"Parol-gizli-söz-{mark()}",
        "wrong_password": f"Səhv-parol-{mark()}",
        "staff_name": f"Könül Əlizadə {mark()}",
        "query_reason": f"sorğu səbəbi {mark()}",
        "typed_path": f"Bakı-Nərimanov-{mark()}",
        "echoed_input": f"yaşayış yeri {mark()}",
    }


def nine_digits() -> str:
    """A subscriber's national number (operator code and 7 digits), unlike any id or count."""
    return "7" + str(secrets.choice([0, 7])) + "".join(str(secrets.randbelow(10)) for _ in range(7))


def digits_pattern(digits: str) -> re.Pattern[str]:
    """The digits with any separators a person writes between them (+994 70 123 45 67, 070-123-45-67)."""
    return re.compile(r"[\s\-.()/]*".join(digits))


def span_strings(directory: Path) -> list[tuple[str, str, str]]:
    """(service, where, text) for every string a span carries, its keys included."""
    out = []
    for path in directory.glob("spans-*.jsonl"):
        for line in path.read_text().splitlines():
            if line.strip():
                span = json.loads(line)
                service = span["service"]
                out += [(service, "name", span["name"]), (service, "status", span["status"]["description"] or "")]
                groups = [("attribute", span["attributes"]), ("resource", span["resource"])]
                groups += [("link", attrs) for attrs in span["links"]]
                groups += [(f"event {e['name']}", e["attributes"]) for e in span["events"]]
                for where, attrs in groups:
                    for key, value in attrs.items():
                        out.append((service, where, key))
                        for item in value if isinstance(value, list) else [value]:
                            out.append((service, f"{where} {key}", str(item)))
    return out


class Flow:
    """The hotline's people at work, each request carrying planted values; every credential and
    link handed out on the way is kept (`secrets`) to be searched for too."""

    def __init__(self, system, values: dict[str, str], phone: str):
        self.system, self.values, self.phone = system, values, phone
        self.intake, self.referrals = system.http_url("intake"), system.http_url("referrals")
        self.phone_written = f"+994 {phone[:2]} {phone[2:5]} {phone[5:7]} {phone[7:]}"
        self.note = f"{values['note_person']} ({self.phone_written}) {values['note_words']}"
        self.secrets: list[str] = []

    def token(self, username: str) -> dict[str, str]:
        token = sign_in(self.intake, username)
        self.secrets.append(token)
        return bearer(token)

    @contextlib.contextmanager
    def page_sign_in(self, base: str, username: str, password: str, prefix: str = "") -> Iterator[httpx.Client]:
        """Signed in through a service's sign-in form: the session cookie comes back in Set-Cookie."""
        with httpx.Client(base_url=base, timeout=10) as client:
            form = {"username": username, "password": password, "next": ""}
            answer = client.post(f"{prefix}/login", data=form, headers={"Origin": base})
            assert answer.status_code == 303, answer.text
            self.secrets.append(client.cookies[SESSION_COOKIE])
            yield client

    def new_operator_signs_in(self, director: dict[str, str]) -> None:
        """A new account's password: typed wrong once at the token endpoint, then right on the page."""
        username = f"op-{mark()}"
        staff = httpx.post(
            f"{self.intake}/api/v1/director/staff",
            headers=director,
            timeout=10,
            json={
                "username": username,
                "display_name": self.values["staff_name"],
                "role": "operator",
                "password": self.values["password"],
            },
        )
        assert staff.status_code == 201, staff.text
        wrong = {"username": username, "password": self.values["wrong_password"]}
        assert httpx.post(f"{self.intake}/api/v1/auth/token", json=wrong, timeout=10).status_code == 401
        with self.page_sign_in(self.intake, username, self.values["password"]) as page:
            assert page.get("/").status_code == 200

    def operator_records_and_refers(self, operator: dict[str, str]) -> tuple[str, str, str]:
        """(caller id, contact id, referral id): a profile, a call with a note, a lookup by phone, a
        directory search, a referral with consented name and phone."""
        with httpx.Client(base_url=self.intake, headers=operator, timeout=10) as client:
            caller = client.post(
                "/api/v1/callers", json={"name": self.values["caller_name"], "phones": [self.phone_written]}
            )
            assert caller.status_code == 201, caller.text
            caller_id = caller.json()["id"]
            contact = client.post(
                "/api/v1/contacts",
                json={
                    "line": "152",
                    "caller_role": "victim",
                    "purpose": "psychological_support",
                    "caller_id": caller_id,
                    "note": self.note,
                },
            )
            assert contact.status_code == 201, contact.text
            # The returning caller is found by phone, written another way.
            local = f"0{self.phone[:2]}-{self.phone[2:5]}-{self.phone[5:]}"
            found = client.post("/api/v1/callers/lookup", json={"phone": local})
            assert [c["id"] for c in found.json()] == [caller_id], found.text
            searched = client.post("/api/v1/directory/search", json={"text": self.values["directory_text"]})
            assert searched.status_code == 200, searched.text
            services = client.post("/api/v1/directory/search", json={"service_type": "psychologist", "limit": 100})
            service = next(s for s in services.json() if s.get("organisation_id") == PARTNER_ORGANISATION_ID)
            referral = client.post(
                f"/api/v1/contacts/{contact.json()['id']}/referrals",
                json={
                    "service_id": service["id"],
                    "reason": self.values["need"],
                    "urgency": "urgent",
                    "consent": {
                        "fields": ["name", "phone"],
                        "purpose": self.values["consent_purpose"],
                        "valid_until": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
                    },
                },
            )
            assert referral.status_code == 201, referral.text
            return caller_id, contact.json()["id"], referral.json()["referral_id"]

    def one_time_link(self, operator: dict[str, str], referral_id: str) -> str:
        link = httpx.post(f"{self.intake}/api/v1/referrals/{referral_id}/one-time-link", headers=operator, timeout=10)
        assert link.status_code == 200, link.text
        url = link.json()["url"]
        self.secrets.append(url.rstrip("/").rsplit("/", 1)[-1])
        return url

    def partner_answers(self, partner: dict[str, str], referral_id: str) -> None:
        """The partner reads the consented values and answers with a note."""
        with httpx.Client(base_url=f"{self.referrals}/api/v1/partner", headers=partner, timeout=10) as client:
            seen = client.get(f"/referrals/{referral_id}")
            assert seen.status_code == 200 and self.values["caller_name"] in seen.text, seen.text
            moved = client.post(f"/referrals/{referral_id}/status", json={"to_status": "acknowledged"})
            assert moved.status_code == 200, moved.text
            answered = client.post(f"/referrals/{referral_id}/notes", json={"body": self.values["partner_note"]})
            assert answered.status_code == 201, answered.text
        with self.page_sign_in(self.referrals, "partner", "partner-demo", "/portal") as portal:
            assert self.values["partner_note"] in portal.get(f"/portal/referrals/{referral_id}").text

    def link_is_opened(self, url: str) -> None:
        """A mail scanner opens the link (nothing shown); the partner asks to see it."""
        assert httpx.get(url, timeout=10).status_code == 200
        viewed = httpx.post(f"{url}/view", headers={"Origin": self.referrals}, timeout=10)
        assert viewed.status_code == 200 and self.values["caller_name"] in viewed.text, viewed.text

    def another_operator_breaks_the_glass(self, operator2: dict[str, str], caller_id: str, contact_id: str) -> None:
        """With reasons in bodies; once as an old client would, with the reason in the URL."""
        with httpx.Client(base_url=f"{self.intake}/api/v1", headers=operator2, timeout=10) as client:
            journal = client.post(f"/callers/{caller_id}/journal", json={"reason": self.values["journal_reason"]})
            assert journal.status_code == 200, journal.text
            read = client.post(f"/contacts/{contact_id}/read", json={"reason": self.values["contact_reason"]})
            assert read.status_code == 200 and read.json()["note"] == self.note, read.text
            client.get(f"/contacts/{contact_id}", params={"reason": self.values["query_reason"]})
            # A path no route matches, with what someone typed in it.
            assert client.get(f"/places/{self.values['typed_path']}").status_code == 404

    def reporting_refuses_typed_input(self, analyst: dict[str, str]) -> None:
        """A gRPC error whose details quote the input (reporting names the unknown dimension)."""
        with grpc.insecure_channel(self.system.grpc_target("reporting")) as channel:
            stub = reporting_pb2_grpc.ReportingServiceStub(channel)
            request = reporting_pb2.TableRequest(subject="calls", dimension=self.values["echoed_input"])
            try:
                stub.GetTable(request, metadata=(("authorization", analyst["Authorization"]),), timeout=10)
                raise AssertionError("an unknown dimension was accepted")
            except grpc.RpcError as refused:
                assert refused.code() == grpc.StatusCode.INVALID_ARGUMENT
                assert self.values["echoed_input"] in (refused.details() or "")


def exported(directory: Path) -> set[tuple[str, str]]:
    """(service, span name) of the spans exported so far."""
    return {(service, text) for service, where, text in span_strings(directory) if where == "name"}


def test_no_personal_value_reaches_any_span(system_factory, tmp_path):
    system = system_factory(extra_env=CAPTURE_EVERY_HEADER)
    flow = Flow(system, planted(), nine_digits())
    director, operator, operator2 = flow.token("director"), flow.token("operator"), flow.token("operator2")
    partner, analyst = flow.token("partner"), flow.token("analyst")

    flow.new_operator_signs_in(director)
    caller_id, contact_id, referral_id = flow.operator_records_and_refers(operator)
    link = flow.one_time_link(operator, referral_id)
    flow.partner_answers(partner, referral_id)
    flow.link_is_opened(link)
    flow.another_operator_breaks_the_glass(operator2, caller_id, contact_id)
    flow.reporting_refuses_typed_input(analyst)

    # The last span of each part of the flow has been exported (the batch processor runs every 100 ms).
    last = {
        ("intake", "GET"),  # the unmatched path
        ("referrals", "POST /link/{token}/view"),
        ("reporting", "/hotline.reporting.v1.ReportingService/GetTable"),
        ("reporting", "referrals.referral.status_changed.v1 process"),
    }
    wait_until(lambda: last <= exported(tmp_path), timeout=30, interval=0.2, message="the flow's last spans exported")
    assert {service for service, _ in exported(tmp_path)} >= set(SERVICES)

    phone_form = digits_pattern(flow.phone)
    leaks = []
    for service, where, text in span_strings(tmp_path):
        found = [what for what, value in flow.values.items() if value[-8:] in text.casefold() or value in text]
        found += ["phone"] if phone_form.search(text) else []
        found += ["token or link"] if any(secret in text for secret in flow.secrets) else []
        found += ["credential"] if CREDENTIAL.search(text) else []
        leaks += [(service, where, what) for what in found]
    assert not leaks, "\n".join(map(str, sorted(set(leaks))))

    # What a trace is for is still there: routes, statements, methods, safe headers.
    kept = {text for _, where, text in span_strings(tmp_path) if where == "attribute"}
    assert {"http.route", "db.statement", "rpc.method", "http.request.header.user_agent"} <= kept


def test_spans_leave_without_what_the_flow_does_not_reach():
    """What the running system did not produce in the flow above, through the same processor: an
    attribute of no known name, SQL with a literal, an exception quoting a value, a link's attribute."""
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from opentelemetry.trace import Link, Status, StatusCode

    from hotline_common.tracing import WithoutPersonalData

    exported_spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(WithoutPersonalData(SimpleSpanProcessor(exported_spans)))
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("first") as first:
        pass
    link = Link(first.get_span_context(), {"caller.name": "Gulnara", "messaging.message.id": "e1"})
    with tracer.start_as_current_span("query", links=[link]) as span:
        span.set_attribute("db.statement", "SELECT id FROM callers WHERE name = 'Gulnara O''Hara' LIMIT ?")
        span.set_attribute("db.query.parameter.name", "Gulnara")
        span.set_attribute("url.query", "q=Gulnara")
        span.set_attribute("caller.phone", "+994 50 123 45 67")
        span.set_attribute("enduser.id", "operator-1")
        span.set_attribute("http.request.header.x_csrf_token", ("abc",))
        span.set_attribute("http.request.header.referer", ("http://h/page?q=Gulnara",))
        name = "Gulnara"  # a value the code holds (a traceback's source lines show the code, not values)
        try:
            raise ValueError(f"no caller named {name}")
        except ValueError as exc:
            span.record_exception(exc)
            span.set_status(Status(StatusCode.ERROR, f"ValueError: {exc}"))
    with tracer.start_as_current_span("call") as client_call:
        client_call.set_status(Status(StatusCode.ERROR, "no caller Gulnara"))  # a gRPC client's: details alone
    provider.shutdown()
    *_, span, client_call = exported_spans.get_finished_spans()
    assert client_call.status.status_code == StatusCode.ERROR and client_call.status.description is None
    assert dict(span.attributes or {}) == {"db.statement": "SELECT id FROM callers WHERE name = '?' LIMIT ?"}
    [event] = span.events
    assert event.attributes is not None and event.attributes["exception.type"] == "ValueError"
    assert "Gulnara" not in json.dumps(dict(event.attributes)) and "File " in str(
        event.attributes["exception.stacktrace"]
    )
    assert span.status.description == "ValueError"
    assert dict(span.links[0].attributes or {}) == {"messaging.message.id": "e1"}
