"""OpenTelemetry for a service process. The exporter comes from the standard OTEL_* variables:

- OTEL_TRACES_EXPORTER=otlp (default when OTEL_EXPORTER_OTLP_ENDPOINT is set), console, none,
  or jsonl (our addition: one JSON span per line to OTEL_EXPORTER_JSONL_PATH, for tests and
  air-gapped sites; "{service}" in the path becomes the service name);
- OTEL_BSP_SCHEDULE_DELAY and friends tune the batch processor as usual.

Spans leave the process without the request URL's query string (search text, reasons) and with the
route template for the path (a one-time link's token): `WithoutUrlSecrets`.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit, urlunsplit

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter, SpanExportResult
from opentelemetry.util.types import AttributeValue
from sqlalchemy.ext.asyncio import AsyncEngine

_configured = False
# Where the HTTP instrumentation puts the request's URL (old and new semantic conventions).
_FULL_URLS = ("http.url", "url.full")
_PATHS = ("http.target", "url.path")
_QUERY = "url.query"


def _without_url_secrets(attributes: Mapping[str, AttributeValue]) -> dict[str, AttributeValue]:
    """The span's attributes with no query string in any URL and the path as its route template."""
    route = attributes.get("http.route")
    out: dict[str, AttributeValue] = {}
    for key, value in attributes.items():
        if key == _QUERY:
            continue
        if key in _PATHS and isinstance(value, str):
            value = route if isinstance(route, str) and route else value.partition("?")[0]
        elif key in _FULL_URLS and isinstance(value, str):
            parts = urlsplit(value)
            path = route if isinstance(route, str) and route else parts.path
            value = urlunsplit((parts.scheme, parts.netloc, path, "", ""))
        out[key] = value
    return out


class WithoutUrlSecrets(SpanProcessor):
    """Wraps the exporting processor: every finished span reaches it with `_without_url_secrets`
    attributes (the instrumentation sets the URL again after the span starts, so this is done at
    the end, on a copy)."""

    def __init__(self, inner: SpanProcessor):
        self.inner = inner

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        self.inner.on_start(span, parent_context=parent_context)

    def on_end(self, span: ReadableSpan) -> None:
        attributes = span.attributes or {}
        if not any(key in attributes for key in (*_FULL_URLS, *_PATHS, _QUERY)):
            self.inner.on_end(span)
            return
        self.inner.on_end(
            ReadableSpan(
                name=span.name,
                context=span.context,
                parent=span.parent,
                resource=span.resource,
                attributes=_without_url_secrets(attributes),
                events=span.events,
                links=span.links,
                kind=span.kind,
                status=span.status,
                start_time=span.start_time,
                end_time=span.end_time,
                instrumentation_scope=span.instrumentation_scope,
            )
        )

    def shutdown(self) -> None:
        self.inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.inner.force_flush(timeout_millis)


class JsonLinesSpanExporter(SpanExporter):
    def __init__(self, path: str):
        self.path = path
        self._lock = threading.Lock()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        lines = []
        for span in spans:
            ctx = span.get_span_context()
            if ctx is None:  # a finished span always has its context
                continue
            lines.append(
                json.dumps(
                    {
                        "service": span.resource.attributes.get("service.name"),
                        "name": span.name,
                        "kind": span.kind.name,
                        "trace_id": format(ctx.trace_id, "032x"),
                        "span_id": format(ctx.span_id, "016x"),
                        "parent_span_id": format(span.parent.span_id, "016x") if span.parent else None,
                        "start": span.start_time,
                        "end": span.end_time,
                        "attributes": {
                            k: v for k, v in (span.attributes or {}).items() if isinstance(v, (str, int, float, bool))
                        },
                    }
                )
            )
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
        provider.add_span_processor(WithoutUrlSecrets(BatchSpanProcessor(exporter)))
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
