"""The reporting service as it runs (HTTP and gRPC on real sockets, its own consumers on a real
nats-server): exports open with the right totals, reports are generated as jobs, roles see only
aggregates, and no endpoint returns an identifier of a caller or a contact."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import grpc
import httpx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from reporting_eventing import wait_applied
from test_projections import emit_dataset

from hotline.reporting.v1 import reporting_pb2, reporting_pb2_grpc
from hotline_common.auth import Role, TokenIssuer, generate_signing_keypair
from hotline_devstack.ports import free_port
from hotline_devstack.testing import eventually, make_revocation_bucket
from reporting.app import build_runtime
from reporting.settings import ReportingSettings

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture
async def served(tmp_path, database_url, nats_server, namespace, producers):
    private, public = generate_signing_keypair()
    key_file = tmp_path / "issuer.pem"
    key_file.write_bytes(public)
    settings = ReportingSettings(
        http_port=free_port(),
        grpc_port=free_port(),
        database_url=database_url,
        nats_url=nats_server.url,
        events_namespace=namespace,
        auth_public_key_file=str(key_file),
        scheduled_reports=False,
    )
    await make_revocation_bucket(nats_server.url, namespace)  # intake's part: the list every service reads
    runtime = build_runtime(settings)
    task = asyncio.create_task(runtime.serve())
    url = f"http://127.0.0.1:{settings.http_port}"
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:

        async def ready():
            try:
                return (await client.get("/readyz")).status_code == 200
            except httpx.TransportError:
                return False

        await eventually(ready, timeout=60, message="reporting ready")
        sent = await emit_dataset(producers)
        await producers.publish_all()
        await wait_applied(runtime.db, sent)
        issuer = TokenIssuer(private, issuer=settings.auth_issuer, audience=settings.auth_audience)

        def headers(role: str, **extra) -> dict:
            token = issuer.issue(subject=f"{role}-1", role=Role(role), name=role, **extra)
            return {"Authorization": f"Bearer {token}"}

        yield client, headers, f"127.0.0.1:{settings.grpc_port}", runtime
    runtime.request_stop()
    await asyncio.wait_for(task, 60)


def database_kind(served) -> str:
    return "sqlite" if served[3].settings.database_url.startswith("sqlite") else "postgresql"


def read_csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


async def test_tables_download_as_csv_and_xlsx_with_the_right_totals(served):
    client, headers, _, _ = served
    analyst, director = headers("analyst"), headers("director")
    response = await client.get("/api/v1/exports/tables/calls/sex.csv", headers=director)
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    rows = read_csv(response.content)
    assert rows[0] == ["sex", "label", "count"]
    assert {r[0]: r[2] for r in rows[1:]} == {"female": "17", "male": "10", "not_stated": "3", "total": "30"}
    # Codes for machines, labels for people (Azerbaijani by default, ?lang= otherwise).
    assert {r[0]: r[1] for r in rows[1:]}["female"] == "Qadın"
    rows = read_csv(
        (await client.get("/api/v1/exports/tables/calls/sex.csv", headers=director, params={"lang": "ru"})).content
    )
    assert {r[0]: r[1] for r in rows[1:]}["not_stated"] == "Не указано"

    rows = read_csv((await client.get("/api/v1/exports/tables/calls/sex.csv", headers=analyst)).content)
    assert {r[0]: r[2] for r in rows[1:] if not r[0].startswith("#")} == {
        "female": "17",
        "male": "x",
        "not_stated": "x",
        "total": "30",
    }

    book = load_workbook(
        io.BytesIO((await client.get("/api/v1/exports/tables/calls/country.xlsx", headers=director)).content)
    )
    sheet = book.active
    values = {row[0]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}["TR"] == "Türkiyə (TR)"
    assert values["AZ"] == 25 and values["TR"] == 5 and values["total"] == 30

    workbook = load_workbook(io.BytesIO((await client.get("/api/v1/exports/dashboard.xlsx", headers=analyst)).content))
    assert "calls_by_sex" in workbook.sheetnames and "referrals_by_outcome" in workbook.sheetnames

    htcds = read_csv((await client.get("/api/v1/exports/htcds.csv", headers=director)).content)
    assert htcds[0] == [
        "yearOfRegistration",
        "quarterOfRegistration",
        "prs_Gender",
        "prs_AgeBroad",
        "prs_Nationality",
        "vic_TypeOfExploitation",
        "count",
    ]
    data = [r for r in htcds[1:] if r and not r[0].startswith("#")]
    total = next(r for r in data if r[0] == "Total")
    assert total[-1] == "30"
    # Even for the director the research export is suppressed: no published combination below k.
    assert all(r[-1] == "x" or int(r[-1]) >= 11 for r in data)
    bad = await client.get("/api/v1/exports/htcds.csv", headers=director, params={"fields": "prs_Phone"})
    assert bad.status_code == 422 and "fields" in bad.text


async def test_a_report_is_a_job_with_progress_and_its_files_open(served):
    client, headers, _, _ = served
    coordinator = headers("coordinator")
    assert (
        await client.post("/api/v1/reports", headers=coordinator, json={"kind": "quarterly", "period": "2026-13"})
    ).status_code == 422
    job = (
        await client.post(
            "/api/v1/reports", headers=coordinator, json={"kind": "quarterly", "period": "2026-Q3", "language": "az"}
        )
    ).json()
    assert job["status"] == "queued"

    async def done():
        state = (await client.get(f"/api/v1/reports/{job['id']}", headers=coordinator)).json()
        assert state["status"] != "failed", state
        return state if state["status"] == "done" else None

    state = await eventually(done, timeout=60, message="report generated")
    assert state["progress"] == 100

    pdf = (await client.get(f"/api/v1/reports/{job['id']}/file.pdf", headers=coordinator)).content
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Rüblük hesabat 2026-Q3" in text and "Zənglər" in text and "30" in text
    ARTIFACTS.mkdir(exist_ok=True)
    if database_kind(served) == "sqlite":  # one copy to look at
        (ARTIFACTS / "reporting-quarterly-report.pdf").write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                str(ARTIFACTS / "reporting-quarterly-report.pdf"),
                str(ARTIFACTS / "reporting-report-page"),
            ],
            check=True,
            timeout=60,
        )

    book = load_workbook(
        io.BytesIO((await client.get(f"/api/v1/reports/{job['id']}/file.xlsx", headers=coordinator)).content)
    )
    assert book[book.sheetnames[0]]["B2"].value == 30
    rows = read_csv((await client.get(f"/api/v1/reports/{job['id']}/file.csv", headers=coordinator)).content)
    assert ["2026-Q3", "calls_total", "", "", "30"] in rows
    listing = (await client.get("/api/v1/reports", headers=coordinator)).json()
    assert [j["id"] for j in listing] == [job["id"]]


PRIVATE_MARKERS = ("contact-", "caller-", "r1", "org-a")


async def test_roles_get_aggregates_only_and_no_identifier_leaves(served):
    client, headers, grpc_target, _ = served
    for role in ("operator", "partner", "admin"):
        response = await client.get("/api/v1/statistics/dashboard", headers=headers(role))
        assert response.status_code == 403, role
    assert (await client.get("/api/v1/statistics/dashboard")).status_code == 401
    paths = [
        "/api/v1/statistics",
        "/api/v1/statistics/dashboard",
        "/api/v1/statistics/crosstab?rows=sex&columns=age_group",
        *[f"/api/v1/statistics/calls/{d}" for d in ("sex", "country", "exploitation_type", "day", "hour")],
        *[f"/api/v1/statistics/referrals/{d}" for d in ("outcome", "service_type", "region")],
        "/api/v1/exports/htcds.csv",
        "/api/v1/exports/tables/calls/region.csv",
    ]
    for role in ("analyst", "coordinator", "wg_member"):
        for path in paths:
            response = await client.get(path, headers=headers(role))
            assert response.status_code == 200, (role, path, response.text)
            body = response.text
            # No contact, caller or referral id; organisations are shown only to exact readers.
            assert not any(marker in body for marker in PRIVATE_MARKERS[:3]), (role, path)
            if response.headers["content-type"].startswith("application/json"):
                _assert_no_small_counts(json.loads(body), path)

    async with grpc.aio.insecure_channel(grpc_target) as channel:
        stub = reporting_pb2_grpc.ReportingServiceStub(channel)
        for role in ("analyst", "coordinator", "wg_member"):
            metadata = (("authorization", headers(role)["Authorization"]),)
            table = await stub.GetTable(reporting_pb2.TableRequest(subject="calls", dimension="sex"), metadata=metadata)
            assert table.suppression_k == 11 and table.total == 30
            assert {c.key: (c.count, c.suppressed) for c in table.cells} == {
                "female": (17, False),
                "male": (0, True),
                "not_stated": (0, True),
            }
            summary = await stub.GetStatistics(reporting_pb2.StatisticsRequest(), metadata=metadata)
            assert summary.calls_total == 30 and all(c.suppressed or c.count >= 11 for c in summary.calls_by_line)
        director = (("authorization", headers("director")["Authorization"]),)
        exact = await stub.GetTable(reporting_pb2.TableRequest(subject="calls", dimension="sex"), metadata=director)
        assert exact.suppression_k == 0 and {c.key: c.count for c in exact.cells}["male"] == 10
        with pytest.raises(grpc.aio.AioRpcError) as denied:
            await stub.GetTable(
                reporting_pb2.TableRequest(subject="calls", dimension="sex"),
                metadata=(("authorization", headers("operator")["Authorization"]),),
            )
        assert denied.value.code() == grpc.StatusCode.PERMISSION_DENIED
        with pytest.raises(grpc.aio.AioRpcError) as invalid:
            await stub.GetTable(reporting_pb2.TableRequest(subject="calls", dimension="phone"), metadata=director)
        assert invalid.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "dimension" in invalid.value.details()


def _assert_no_small_counts(value, path: str, key: str = "") -> None:
    """Every count published to a suppressed reader is hidden, zero, or at least k (durations,
    shares and the exact grand totals aside)."""
    exempt = {
        "calls_total",
        "referrals_total",
        "meetings_total",
        "total",
        "suppressed",
        "suppression_k",
        "median_hours",
        "p90_hours",
        "overdue_share",
        "working_group",
    }
    if key in exempt:
        return
    if isinstance(value, dict):
        for k, v in value.items():
            _assert_no_small_counts(v, path, k)
    elif isinstance(value, list):
        for v in value:
            _assert_no_small_counts(v, path, key)
    elif isinstance(value, int) and not isinstance(value, bool):
        assert value == 0 or value >= 11, (path, key, value)


async def test_dashboard_page_in_three_languages(served):
    client, headers, _, _ = served
    token = headers("analyst")["Authorization"].removeprefix("Bearer ")
    gate = await client.get("/")
    assert gate.status_code == 303 and gate.headers["location"] == "/login?next=/"
    page = await client.get("/", cookies={"hotline_session": token}, params={"lang": "en"})
    assert page.status_code == 200 and "Data up to" in page.text and "<svg" in page.text
    assert "Calls by sex" in page.text and ">x<" in page.text
    ru = await client.get("/", cookies={"hotline_session": token}, params={"lang": "ru", "sex": "female"})
    assert "Звонки по полу" in ru.text
    bad = await client.get("/", cookies={"hotline_session": token}, params={"from": "2026-12-01", "to": "2026-11-01"})
    # In the page's language (ru, remembered from the switch above), next to the "to" day.
    assert (
        bad.status_code == 200
        and 'id="problem-to" role="alert">Начало периода должно быть раньше его конца<' in bad.text
    )
    # A period in the quarter still running: the reader is told beside "to", in the page's
    # language, and sees every quarter that has ended instead; the API says it on to_time.
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Baku")).date().isoformat()
    running = await client.get("/", cookies={"hotline_session": token}, params={"lang": "az", "from": today})
    assert running.status_code == 200 and 'aria-invalid="true" aria-describedby="problem-to"' in running.text
    assert 'id="problem-to" role="alert">rolunuz üçün rəqəmlər başa çatmış tam rübləri əhatə edir' in running.text
    assert 'data-testid="quarters"' in running.text
    api = await client.get(
        "/api/v1/statistics", headers=headers("analyst"), params={"from_time": f"{today}T00:00:00+04:00"}
    )
    assert api.status_code == 422 and api.json()["detail"][0]["loc"][-1] == "to_time"
    assert (
        await client.get(
            "/api/v1/statistics", headers=headers("director"), params={"from_time": f"{today}T00:00:00+04:00"}
        )
    ).status_code == 200
