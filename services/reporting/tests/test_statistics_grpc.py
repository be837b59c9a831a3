"""GetStatistics over gRPC says a hidden figure is hidden, as the HTTP API does (null there): a
suppressed total or cell is marked suppressed and carries no count, never a 0 that reads as "nobody"."""

from __future__ import annotations

import grpc
import pytest
from test_reporting_served import served  # noqa: F401 (the fixture: reporting on real sockets)

from hotline.reporting.v1 import reporting_pb2, reporting_pb2_grpc
from reporting.statistics.rpc import statistics_message
from reporting.statistics.schemas import Statistics


@pytest.fixture
def database_url(tmp_path) -> str:
    # The message does not depend on the store (test_reporting_served runs both): SQLite keeps it cheap.
    return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"


FIGURES = ("calls_by_line", "calls_by_caller_role", "calls_by_purpose", "referrals_by_service_type")


def as_http_says(message: reporting_pb2.Statistics) -> dict:
    """The message's figures in the HTTP API's form: None where suppressed."""
    out: dict = {"calls_total": None if message.calls_total_suppressed else message.calls_total}
    for name in FIGURES:
        out[name] = {c.key: None if c.suppressed else c.count for c in getattr(message, name)}
    return out


def test_a_hidden_calls_total_is_sent_as_suppressed_not_as_zero():
    hidden = Statistics(
        calls_total=None,
        calls_by_line={"152": None, "562-21-12": 14},
        calls_by_caller_role={},
        calls_by_purpose={},
        referrals_total=0,
        referrals_by_service_type={},
        meetings_total=0,
        newest_event_at=None,
    )
    message = reporting_pb2.Statistics.FromString(statistics_message(hidden, 11).SerializeToString())
    assert message.calls_total_suppressed and not message.HasField("calls_total")
    assert [(c.key, c.HasField("count"), c.suppressed) for c in message.calls_by_line] == [
        ("152", False, True),
        ("562-21-12", True, False),
    ]
    zero = reporting_pb2.Statistics.FromString(
        statistics_message(hidden.model_copy(update={"calls_total": 0}), 11).SerializeToString()
    )
    assert zero.HasField("calls_total") and zero.calls_total == 0 and not zero.calls_total_suppressed


async def test_grpc_and_http_statistics_hide_the_same_figures(served):  # noqa: F811
    client, headers, grpc_target, _ = served
    async with grpc.aio.insecure_channel(grpc_target) as channel:
        stub = reporting_pb2_grpc.ReportingServiceStub(channel)
        for role in ("analyst", "director"):
            over_http = (await client.get("/api/v1/statistics", headers=headers(role))).json()
            metadata = (("authorization", headers(role)["Authorization"]),)
            over_grpc = await stub.GetStatistics(reporting_pb2.StatisticsRequest(), metadata=metadata)
            assert as_http_says(over_grpc) == {name: over_http[name] for name in ("calls_total", *FIGURES)}, role
            if role == "analyst":  # the dataset has small cells: the test compares hidden figures too
                assert None in over_http["calls_by_line"].values() or None in over_http["calls_by_purpose"].values()
