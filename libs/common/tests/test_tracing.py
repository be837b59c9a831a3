"""Spans leave a process without what a request URL may carry: the query string (search text,
reasons) and the path's variable parts (a one-time link's token), in both semantic conventions."""

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from hotline_common.tracing import WithoutPersonalData


def test_finished_spans_reach_the_exporter_without_query_strings_or_path_values():
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(WithoutPersonalData(SimpleSpanProcessor(exporter)))
    attributes = {
        "http.url": "http://127.0.0.1:8002/link/s3cr3t-token?reason=she+was+beaten",
        "http.target": "/link/s3cr3t-token",
        "url.full": "http://127.0.0.1:8002/link/s3cr3t-token?reason=she+was+beaten",
        "url.path": "/link/s3cr3t-token",
        "url.query": "reason=she+was+beaten",
        "http.route": "/link/{token}",
        "http.method": "GET",
    }
    with provider.get_tracer("test").start_as_current_span("GET /link/{token}", attributes=attributes):
        pass
    with provider.get_tracer("test").start_as_current_span("no route", attributes={"http.url": "http://h/x?q=Leyla"}):
        pass
    with provider.get_tracer("test").start_as_current_span("db", attributes={"db.system": "sqlite"}):
        pass
    linked, unrouted, other = (dict(span.attributes or {}) for span in exporter.get_finished_spans())
    assert linked == {
        "http.url": "http://127.0.0.1:8002/link/{token}",
        "http.target": "/link/{token}",
        "url.full": "http://127.0.0.1:8002/link/{token}",
        "url.path": "/link/{token}",
        "http.route": "/link/{token}",
        "http.method": "GET",
    }
    assert unrouted == {"http.url": "http://h"}  # a path no route matched may be anything typed
    assert other == {"db.system": "sqlite"}
