"""OpenTelemetry for a service process. The exporter comes from the standard OTEL_* variables:

- OTEL_TRACES_EXPORTER=otlp (default when OTEL_EXPORTER_OTLP_ENDPOINT is set), console, none,
  or jsonl (our addition: one JSON span per line to OTEL_EXPORTER_JSONL_PATH, for tests and
  air-gapped sites; "{service}" in the path becomes the service name);
- OTEL_BSP_SCHEDULE_DELAY and friends tune the batch processor as usual.

No personal value leaves in a span (`WithoutPersonalData`, for every exporter): attributes only under
known names, URLs without query strings (search text, reasons) and with route templates for paths
(a one-time link's token), captured headers and gRPC metadata from a safe list only (no
Authorization, Cookie, Set-Cookie, CSRF token, Referer), SQL without string literals, exceptions
and error statuses by type or code only (their messages may quote input). tests/test_traces_pii.py
plants every kind of personal value in a flow through all services and searches every span.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit, urlunsplit

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Event, ReadableSpan, Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter, SpanExportResult
from opentelemetry.trace import Link, Status
from opentelemetry.util.types import AttributeValue
from sqlalchemy.ext.asyncio import AsyncEngine

_configured = False
# Where the HTTP instrumentation puts the request's URL (old and new semantic conventions).
_FULL_URLS = ("http.url", "url.full")
_PATHS = ("http.target", "url.path")
_STATEMENTS = ("db.statement", "db.query.text")
# Never, whatever the instrumentation's version: query strings, fragments, bound SQL parameters.
_DROPPED = re.compile(r"^url\.(query|fragment)$|^db\..*param")
# Attributes leave only under these names (the semantic conventions' words for what was called, how,
# and how it went, and ours); anything else an instrumentation or a future line of code adds is dropped.
_KEPT = ("http.", "url.", "net.", "network.", "server.", "client.", "rpc.", "db.", "messaging.", "asgi.", "hotline.")
_KEPT_EXACT = frozenset(
    {"user_agent.original", "error.type", "exception.type", "exception.escaped", "exception.stacktrace"}
)
# Headers (captured when OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_* ask for them) and gRPC metadata:
# only these; credentials, cookies, CSRF tokens, referers and redirect targets (URLs with tokens) never.
_HEADER_PREFIXES = ("http.request.header.", "http.response.header.", "rpc.request.metadata.", "rpc.response.metadata.")
_SAFE_HEADERS = frozenset(
    {
        "accept",
        "accept_encoding",
        "accept_language",
        "cache_control",
        "connection",
        "content_encoding",
        "content_length",
        "content_security_policy",
        "content_type",
        "host",
        "origin",
        "referrer_policy",
        "sec_fetch_dest",
        "sec_fetch_mode",
        "sec_fetch_site",
        "user_agent",
        "vary",
        "www_authenticate",
        "x_content_type_options",
        "x_frame_options",
    }
)
_SQL_STRING = re.compile(r"'(?:[^']|'')*'")
# "StatusCode.NOT_FOUND:<details>" (gRPC server), "ValueError: <message>" (an exception): the code or
# type before the colon; a description without one (a gRPC client's: the details alone) is dropped.
_STATUS_KIND = re.compile(r"^([A-Za-z_][A-Za-z0-9_.]*):")


def _url_free(key: str, value: str, route: AttributeValue | None) -> str | None:
    """A URL attribute without its query string and with the route template for its path (a
    one-time link's token); a path no route matched is left out (it may be anything typed)."""
    template = route if isinstance(route, str) and route else None
    if key in _PATHS:
        return template
    parts = urlsplit(value)
    return urlunsplit((parts.scheme, parts.netloc, template or "", "", ""))


def _header_kept(key: str) -> bool:
    name = next(key[len(prefix) :] for prefix in _HEADER_PREFIXES if key.startswith(prefix))
    return name.replace("-", "_").lower() in _SAFE_HEADERS


def _frames_only(stacktrace: str) -> str:
    """A traceback's frames without the exceptions' messages (they may quote a value)."""
    return "\n".join(line for line in stacktrace.splitlines() if line.startswith((" ", "Traceback")))


def _scrubbed(attributes: Mapping[str, AttributeValue] | None) -> dict[str, AttributeValue]:
    """The attributes that may leave the process, each without what could be personal."""
    attributes = attributes or {}
    route = attributes.get("http.route")
    out: dict[str, AttributeValue] = {}
    for key, value in attributes.items():
        kept: AttributeValue | None = value
        if _DROPPED.search(key) or not (key.startswith(_KEPT) or key in _KEPT_EXACT):
            kept = None
        elif key.startswith(_HEADER_PREFIXES):
            kept = value if _header_kept(key) else None
        elif key in (*_PATHS, *_FULL_URLS) and isinstance(value, str):
            kept = _url_free(key, value, route)
        elif key in _STATEMENTS and isinstance(value, str):
            kept = _SQL_STRING.sub("'?'", value)
        elif key == "exception.stacktrace" and isinstance(value, str):
            kept = _frames_only(value)
        if kept is not None:
            out[key] = kept
    return out


def _status_kind(status: Status) -> Status:
    if not status.description:
        return status
    kind = _STATUS_KIND.match(status.description)
    return Status(status.status_code, kind.group(1) if kind else None)


class WithoutPersonalData(SpanProcessor):
    """Wraps the exporting processor: every finished span reaches it with only the attributes that
    may leave (`_scrubbed`: no query string, route templates for paths, safe headers only, SQL
    without literals, exceptions without messages) in itself, its events and links, and a status
    that names the code or exception type only. Done at the end, on a copy: the instrumentation
    sets the URL again after the span starts."""

    def __init__(self, inner: SpanProcessor):
        self.inner = inner

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        self.inner.on_start(span, parent_context=parent_context)

    def on_end(self, span: ReadableSpan) -> None:
        self.inner.on_end(
            ReadableSpan(
                name=span.name,
                context=span.context,
                parent=span.parent,
                resource=span.resource,
                attributes=_scrubbed(span.attributes),
                events=[Event(e.name, _scrubbed(e.attributes), e.timestamp) for e in span.events],
                links=[Link(link.context, _scrubbed(link.attributes)) for link in span.links],
                kind=span.kind,
                status=_status_kind(span.status),
                start_time=span.start_time,
                end_time=span.end_time,
                instrumentation_scope=span.instrumentation_scope,
            )
        )

    def shutdown(self) -> None:
        self.inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.inner.force_flush(timeout_millis)


def _json_attributes(attributes: Mapping[str, AttributeValue] | None) -> dict[str, object]:
    return {
        k: list(v) if isinstance(v, Sequence) and not isinstance(v, str) else v for k, v in (attributes or {}).items()
    }


def _as_json(span: ReadableSpan) -> dict[str, object]:
    """All a span carries (as an OTLP exporter would send it): attributes, events, links, status, resource."""
    ctx = span.context
    assert ctx is not None  # a finished span always has its context
    return {
        "service": span.resource.attributes.get("service.name"),
        "name": span.name,
        "kind": span.kind.name,
        "trace_id": format(ctx.trace_id, "032x"),
        "span_id": format(ctx.span_id, "016x"),
        "parent_span_id": format(span.parent.span_id, "016x") if span.parent else None,
        "start": span.start_time,
        "end": span.end_time,
        "attributes": _json_attributes(span.attributes),
        "events": [{"name": e.name, "attributes": _json_attributes(e.attributes)} for e in span.events],
        "links": [_json_attributes(link.attributes) for link in span.links],
        "status": {"code": span.status.status_code.name, "description": span.status.description},
        "resource": _json_attributes(span.resource.attributes),
    }


class JsonLinesSpanExporter(SpanExporter):
    def __init__(self, path: str):
        self.path = path
        self._lock = threading.Lock()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        lines = [json.dumps(_as_json(span)) for span in spans if span.get_span_context() is not None]
        with self._lock, open(self.path, "a", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        pass


def _exporter(service_name: str) -> SpanExporter | None:
    kind = os.environ.get("OTEL_TRACES_EXPORTER")
    if kind is None:
        kind = "otlp" if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") else "none"
    kind = kind.strip().lower()
    if kind == "none":
        return None
    if kind == "console":
        return ConsoleSpanExporter()
    if kind == "jsonl":
        path = os.environ.get("OTEL_EXPORTER_JSONL_PATH")
        if not path:
            raise SystemExit(
                "Configuration error: OTEL_EXPORTER_JSONL_PATH must be set when OTEL_TRACES_EXPORTER=jsonl"
            )
        return JsonLinesSpanExporter(path.replace("{service}", service_name))
    if kind == "otlp":
        protocol = os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
        if protocol.startswith("http"):
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter as HttpExporter

            return HttpExporter()
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter as GrpcExporter

        return GrpcExporter()
    raise SystemExit(
        f"Configuration error: OTEL_TRACES_EXPORTER: unknown exporter {kind!r} (use otlp, console, jsonl or none)"
    )


def setup_tracing(service_name: str, version: str = "0.1.0") -> TracerProvider:
    """Install the provider and the gRPC instrumentations (before any server or channel exists)."""
    global _configured
    provider = trace.get_tracer_provider()
    if _configured and isinstance(provider, TracerProvider):
        return provider
    resource = Resource.create(
        {
            "service.name": os.environ.get("OTEL_SERVICE_NAME", service_name),
            "service.version": version,
            "service.namespace": "hotline",
        }
    )
    provider = TracerProvider(resource=resource)
    exporter = _exporter(service_name)
    if exporter is not None:
        provider.add_span_processor(WithoutPersonalData(BatchSpanProcessor(exporter)))
    trace.set_tracer_provider(provider)
    from opentelemetry.instrumentation.grpc import GrpcAioInstrumentorClient, GrpcAioInstrumentorServer

    # opentelemetry-instrumentation-grpc has no annotations.
    GrpcAioInstrumentorServer().instrument()  # type: ignore[no-untyped-call]
    GrpcAioInstrumentorClient().instrument()  # type: ignore[no-untyped-call]
    _configured = True
    return provider


def instrument_engine(engine: AsyncEngine) -> None:
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    SQLAlchemyInstrumentor().instrument(engine=engine.sync_engine, enable_commenter=False)


def shutdown_tracing() -> None:
    provider = trace.get_tracer_provider()
    if isinstance(provider, TracerProvider):
        provider.shutdown()
