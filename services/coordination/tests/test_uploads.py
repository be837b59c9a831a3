"""Uploads over HTTP (the app in-process, real tokens, both stores): the body is read only after the
permission check and never past its limit, a spreadsheet bomb is bounded and parsed off the event
loop, evidence is stored under a safe name and served as an attachment of a safe type."""

import asyncio
import io
import re
import threading
import zipfile

import httpx
import pytest
from openpyxl import Workbook

from coordination.app import build_runtime
from coordination.nap import spreadsheet
from coordination.settings import CoordinationSettings
from hotline_common.auth import SESSION_COOKIE, Role, TokenIssuer, generate_signing_keypair
from hotline_common.crypto import FieldCipher
from hotline_common.demo import ACCOUNT_IDS

HEADER = "number,text,executing_bodies,recommended_institutions,deadline,indicators\n"
BOUNDARY = "hotline-test-boundary"
IMPORT_LIMIT = 2 * 1024 * 1024  # the default


@pytest.fixture
def database_url(tmp_path) -> str:
    """Upload limits are checked before anything reaches the store: SQLite alone is enough here
    (the NAP and library store tests run on both)."""
    return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
async def api(db, database_url, tmp_path):
    private, public = generate_signing_keypair()
    (tmp_path / "pub.pem").write_bytes(public)
    settings = CoordinationSettings(
        http_port=1,
        grpc_port=2,
        database_url=database_url,
        reporting_grpc_target="x:1",
        auth_public_key_file=str(tmp_path / "pub.pem"),
        signing_keyring=FieldCipher.generate_keyring("s1"),
        migrate_on_start=False,
    )
    runtime = build_runtime(settings)
    issuer = TokenIssuer(private, issuer="hotline-embedded", audience="hotline")

    def bearer(login: str, role: Role = Role.WG_MEMBER) -> dict:
        return {"Authorization": f"Bearer {issuer.issue(subject=ACCOUNT_IDS[login], role=role, name=login)}"}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=runtime.app), base_url="http://coordination") as c:
        c.secretary, c.member, c.operator = bearer("secretary"), bearer("wgmember"), bearer("operator", Role.OPERATOR)
        c.cookie_of = lambda headers: {SESSION_COOKIE: headers["Authorization"].removeprefix("Bearer ")}
        yield c
    await runtime.db.dispose()


def part(name: str, value: bytes, filename: str | None = None, content_type: str = "text/csv") -> bytes:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    head = f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n"
    head += f"Content-Type: {content_type}\r\n\r\n" if filename else "\r\n"
    return head.encode() + value + b"\r\n"


class CountedBody:
    """A multipart body streamed in chunks (no Content-Length), counting what the server took."""

    def __init__(self, fields: list[tuple[str, bytes]], file_field: str, file_size: int, chunk: int = 16 * 1024):
        self.head = b"".join(part(name, value) for name, value in fields)
        self.head += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; filename="plan.csv"\r\n'.encode()
        )
        self.head += b"Content-Type: text/csv\r\n\r\n" + HEADER.encode()
        self.file_size, self.chunk, self.consumed = file_size, chunk, 0
        self.total = len(self.head) + file_size + len(f"\r\n--{BOUNDARY}--\r\n")

    async def __aiter__(self):
        for piece in self._pieces():
            self.consumed += len(piece)
            yield piece

    def _pieces(self):
        yield self.head
        for _ in range(self.file_size // self.chunk):
            yield b"x" * (self.chunk - 1) + b"\n"
        yield f"\r\n--{BOUNDARY}--\r\n".encode()


MULTIPART = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


def sheet_xml(rows: str, dimension: str = "A1:F1") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


def workbook_with_sheet(xml: str) -> bytes:
    """A real workbook (openpyxl writes it) whose first sheet is replaced by `xml`."""
    book = Workbook()
    book.active.append(["number", "text", "executing_bodies", "deadline"])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = xml.encode() if item.filename == "xl/worksheets/sheet1.xml" else src.read(item)
            dst.writestr(item.filename, data)
    return out.getvalue()


def header_row() -> str:
    cells = "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for col, name in zip("ABCD", ("number", "text", "executing_bodies", "deadline"), strict=True)
    )
    return f'<row r="1">{cells}</row>'


def bomb(last_row: int = 400_001) -> bytes:
    """A header, then a row numbered 400,001: a few kilobytes on disk, 400,000 empty rows to
    whoever reads the sheet as it says (a spreadsheet reader fills the gap)."""
    rows = header_row() + f'<row r="{last_row}"><c r="A{last_row}"/></row>'
    return workbook_with_sheet(sheet_xml(rows, dimension=f"A1:D{last_row}"))


async def test_an_xlsx_bomb_is_refused_at_the_row_limit_and_the_service_answers_meanwhile(api, monkeypatch):
    content = bomb()
    assert len(content) < 16 * 1024
    loop = asyncio.get_running_loop()
    parsing, health_answered, seen = asyncio.Event(), threading.Event(), {}
    real_read_rows = spreadsheet.read_rows

    def watched(*args):  # the real parse, told when it starts and whether /healthz answered during it
        loop.call_soon_threadsafe(parsing.set)
        seen["health answered during the parse"] = health_answered.wait(timeout=5)
        return real_read_rows(*args)

    monkeypatch.setattr(spreadsheet, "read_rows", watched)
    upload = asyncio.create_task(
        api.post("/api/v1/nap/import", headers=api.secretary, files={"file": ("plan.xlsx", content, "application/zip")})
    )
    started = asyncio.create_task(parsing.wait())
    await asyncio.wait({upload, started}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
    assert parsing.is_set(), upload.result() if upload.done() else "the parse did not start"
    health = await api.get("/healthz")
    health_answered.set()
    assert health.status_code == 200 and not upload.done()
    r = await asyncio.wait_for(upload, timeout=60)
    assert seen == {"health answered during the parse": True}
    assert r.status_code == 422
    assert r.json()["detail"] == [
        {"loc": ["file"], "msg": "the file has more than 2000 rows (empty rows count too)", "type": "value_error"}
    ]


async def test_an_oversize_import_is_refused_while_it_streams_in(api):
    body = CountedBody([], "file", file_size=12 * 1024 * 1024)
    r = await api.post("/api/v1/nap/import", headers=api.secretary | MULTIPART, content=body)
    assert r.status_code == 413
    assert r.json()["detail"][0]["loc"] == ["file"]
    assert r.json()["detail"][0]["msg"] == "the upload is larger than 2 MB"
    assert body.consumed < IMPORT_LIMIT + 2 * body.chunk < body.total


async def test_a_declared_oversize_import_is_refused_before_any_of_it_is_read(api):
    csv = (HEADER + "1.1,x,Body,,2027-01-01,\n" * 100_000).encode()
    assert len(csv) > IMPORT_LIMIT
    r = await api.post("/api/v1/nap/import", headers=api.secretary, files={"file": ("plan.csv", csv, "text/csv")})
    assert r.status_code == 413 and r.json()["detail"][0]["loc"] == ["file"]


async def measure_id(api) -> str:
    csv = (HEADER + "1.1,Shelters,Ministry of Labour;Interior,,2027-01-01,\n").encode()
    r = await api.post("/api/v1/nap/import", headers=api.secretary, files={"file": ("plan.csv", csv, "text/csv")})
    assert r.status_code == 200, r.text
    return (await api.get("/api/v1/nap/measures", headers=api.secretary)).json()[0]["id"]


PROGRESS = [("body", b"Interior"), ("status", b"done"), ("text", b"Done")]
LIBRARY = [("title", b"Guide"), ("kind", b"document"), ("description", b"How"), ("body", b"Interior")]


@pytest.mark.parametrize(
    ("route", "who", "fields", "file_field"),
    [
        ("/api/v1/nap/import", "member", [], "file"),  # a member, not an office holder
        ("/api/v1/nap/measures/{measure}/progress", "operator", PROGRESS, "files"),  # no WG_READ
        ("/api/v1/library", "operator", LIBRARY, "file"),
    ],
)
async def test_an_upload_without_permission_is_refused_before_its_body_is_read(api, route, who, fields, file_field):
    body = CountedBody(fields, file_field, file_size=1024 * 1024)
    path = route.format(measure=await measure_id(api)) if "{measure}" in route else route
    r = await api.post(path, headers=getattr(api, who) | MULTIPART, content=body)
    assert r.status_code == 403, r.text
    assert body.consumed == 0


async def test_a_cell_past_the_csv_limit_is_a_4xx_naming_the_file_and_line(api):
    csv = (HEADER + "1.1," + "x" * 200_000 + ",Body,,2027-01-01,\n").encode()
    r = await api.post("/api/v1/nap/import", headers=api.secretary, files={"file": ("plan.csv", csv, "text/csv")})
    assert r.status_code == 422
    [problem] = r.json()["detail"]
    assert problem["loc"] == ["file"] and "line 2" in problem["msg"]


async def test_evidence_is_stored_under_a_safe_name_and_served_as_an_attachment_of_a_safe_type(api):
    measure = await measure_id(api)
    r = await api.post(
        f"/api/v1/nap/measures/{measure}/progress",
        headers=api.secretary,
        data={"body": "Interior", "status": "in_progress", "text": "Started"},
        files={"files": ("../../../../tmp/evil<script>.html", b"<script>alert(1)</script>", "text/html")},
    )
    assert r.status_code == 201, r.text
    evidence = r.json()["progress"][0]["evidence"][0]
    assert evidence["filename"] == "evil_script_.html"
    assert evidence["content_type"] == "application/octet-stream"
    download = await api.get(f"/api/v1/nap/evidence/{evidence['id']}", headers=api.member)
    assert download.headers["content-type"] == "application/octet-stream"
    assert download.headers["content-disposition"] == (
        "attachment; filename=\"evil_script_.html\"; filename*=UTF-8''evil_script_.html"
    )
    assert download.headers["x-content-type-options"] == "nosniff"
    page = await api.get(f"/nap/evidence/{evidence['id']}", cookies=api.cookie_of(api.member))
    assert page.headers["content-disposition"] == download.headers["content-disposition"]


async def test_a_pdf_keeps_its_type_and_a_non_ascii_name_is_given_as_filename_star(api):
    measure = await measure_id(api)
    r = await api.post(
        f"/api/v1/nap/measures/{measure}/progress",
        headers=api.secretary,
        data={"body": "Interior", "status": "done", "text": "Done"},
        files={"files": ("Akt №4; İcra.pdf", b"%PDF-1.4", "application/pdf")},
    )
    evidence = r.json()["progress"][0]["evidence"][0]
    assert evidence["filename"] == "Akt №4_ İcra.pdf"
    download = await api.get(f"/api/v1/nap/evidence/{evidence['id']}", headers=api.member)
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"] == (
        "attachment; filename=\"Akt No4_ Icra.pdf\"; filename*=UTF-8''Akt%20%E2%84%964_%20%C4%B0cra.pdf"
    )


async def page_csrf(api, cookies: dict, path: str) -> list[tuple[str, bytes]]:
    """The CSRF field the page's form carries (first in the form), if the pages have one."""
    page = await api.get(path, cookies=cookies)
    found = re.search(r'name="csrf_token" value="([^"]*)"', page.text)
    return [("csrf_token", found.group(1).encode())] if found else []


async def test_an_oversize_import_on_the_page_is_refused_beside_the_file_field_in_the_pages_language(api):
    cookies = api.cookie_of(api.secretary)
    body = CountedBody(await page_csrf(api, cookies, "/nap"), "file", file_size=12 * 1024 * 1024)
    r = await api.post("/nap/import?lang=az", cookies=cookies, headers=MULTIPART, content=body)
    assert r.status_code == 413
    assert "yüklənən fayl 2 MB-dan böyükdür" in r.text
    assert body.consumed < IMPORT_LIMIT + 2 * body.chunk < body.total


async def test_a_page_upload_without_permission_is_refused_before_the_file_is_read(api):
    cookies = api.cookie_of(api.member)  # a member: reads the plan, does not import it
    body = CountedBody(await page_csrf(api, cookies, "/nap"), "file", file_size=1024 * 1024)
    r = await api.post("/nap/import?lang=en", cookies=cookies, headers=MULTIPART, content=body)
    assert r.status_code == 403
    assert "the head or the secretary edit the Action Plan" in r.text
    assert body.consumed <= len(body.head)  # at most the fields before the file (the CSRF check's)
