"""JSON logs with trace and span ids. Callers log codes, ids and error types, never personal data:
only the fields listed in SAFE_EXTRA are written, whatever `extra` a caller passes."""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import UTC, datetime

from opentelemetry import trace

SAFE_EXTRA = (
    "error",
    "consumer",
    "attempt",
    "method",
    "path",
    "status",
    "duration_ms",
    "port",
    "service",
    "url",
    "event_id",
    "subject",
    "count",
)


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str):
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        ctx = trace.get_current_span().get_span_context()
        if ctx.is_valid:
            entry["trace_id"] = format(ctx.trace_id, "032x")
            entry["span_id"] = format(ctx.span_id, "016x")
        for key in SAFE_EXTRA:
            if key in record.__dict__:
                entry[key] = record.__dict__[key]
        if record.exc_info:
            entry["exc_type"] = record.exc_info[0].__name__ if record.exc_info[0] else None
            # Where it failed, not the exception's message: messages may quote data.
            entry["stack"] = traceback.format_tb(record.exc_info[2])[-6:]
        return json.dumps(entry, ensure_ascii=False, default=str)


def setup_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Uvicorn's access log prints raw URLs; our own middleware logs route templates instead.
    logging.getLogger("uvicorn.access").disabled = True
    for noisy in ("nats", "alembic", "sqlalchemy.engine"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
