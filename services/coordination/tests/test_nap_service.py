"""The National Action Plan through the service layer, on SQLite and PostgreSQL: measures, imports
that are all or nothing with line-by-line errors (CSV and XLSX), progress by each executing body with
evidence documents, overdue flags, progress by body, and the events."""

import hashlib
import io
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from coordination.nap import service as nap
from coordination.nap.models import Measure
from coordination.nap.schemas import MeasureIn
from hotline.events.v1 import coordination_pb2
from hotline_common.demo import ACCOUNT_IDS
from hotline_common.errors import InvalidInput, PermissionDenied
from hotline_common.events.schema import outbox
from hotline_devstack.testing import principal

BAKU = ZoneInfo("Asia/Baku")
COORDINATOR = principal("coordinator")
SECRETARY = principal("wg_member", subject=ACCOUNT_IDS["secretary"])
MEMBER = principal("wg_member", subject=ACCOUNT_IDS["wgmember"])  # Günel, of the Labour ministry
LABOUR = "Əmək və Əhalinin Sosial Müdafiəsi Nazirliyi"
HEALTH = "Səhiyyə Nazirliyi"
HEADER = "number,text,executing_bodies,recommended_institutions,deadline,indicators\n"


async def measures_stored(db) -> int:
    async with db.reader() as session:
        return await session.scalar(select(func.count()).select_from(Measure))


async def nap_events(db) -> list:
    async with db.reader() as session:
        rows = (
            await session.execute(select(outbox).where(outbox.c.subject == "coordination.nap.measure.updated.v1"))
        ).all()
    return [coordination_pb2.NapMeasureUpdated.FromString(r.payload) for r in rows]


async def import_(db, filename, content, who=SECRETARY):
    async with db.transaction() as session:
        return await nap.import_measures(session, who, filename, content, BAKU)


async def test_a_csv_import_creates_then_updates_and_emits_per_measure(db):
    csv = (
        HEADER + f'1.1,Train the border guards,"{LABOUR}; {HEALTH}",DİN,2027-06-30,200 trained\n'
        f"1.2,Open a shelter,{LABOUR},,2027-12-31,\n"
    ).encode()
    assert (await import_(db, "plan.csv", csv)).model_dump() == {"created": 2, "updated": 0}
    again = (HEADER + f"1.2,Open two shelters,{LABOUR},,2028-01-31,2 shelters\n").encode()
    assert (await import_(db, "plan.csv", again)).model_dump() == {"created": 0, "updated": 1}
    async with db.reader() as session:
        listed = await nap.list_measures(session, MEMBER, BAKU)
    assert [(m.number, m.text) for m in listed] == [("1.1", "Train the border guards"), ("1.2", "Open two shelters")]
    assert listed[0].executing_bodies == [LABOUR, HEALTH] and listed[0].recommended_institutions == ["DİN"]
    assert [e.number for e in await nap_events(db)] == ["1.1", "1.2", "1.2"]


async def test_a_broken_file_imports_nothing_and_names_every_bad_line(db):
    csv = (
        HEADER + f"2.1,Fine,{LABOUR},,2027-01-01,\n"
        f"2.2,,{LABOUR},,2027-01-01,\n"  # no text
        "2.3,No bodies,,,2027-01-01,\n"  # no executing body
        f"2.4,Bad date,{LABOUR},,31.12.2027,\n"  # not ISO
        f"2.1,Repeated,{LABOUR},,2027-01-01,\n"
    ).encode()
    with pytest.raises(InvalidInput) as raised:
        await import_(db, "plan.csv", csv)
    fields = [p.field for p in raised.value.problems]
    assert fields == ["line 3: text", "line 4: executing_bodies", "line 5: deadline", "line 6: number"]
    assert await measures_stored(db) == 0 and await nap_events(db) == []


@pytest.mark.parametrize(
    "filename, content, reason",
    [
        ("plan.pdf", b"%PDF", ".csv or .xlsx"),
        ("plan.csv", b"number,text\n1,x\n", "executing_bodies"),
        ("plan.csv", "number".encode("utf-16"), "UTF-8"),
        ("plan.xlsx", b"not a workbook", "XLSX"),
    ],
)
async def test_an_unreadable_file_is_refused_on_the_file_field(db, filename, content, reason):
    with pytest.raises(InvalidInput) as raised:
        await import_(db, filename, content)
    assert raised.value.problems[0].field == "file" and reason in raised.value.problems[0].reason


def workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def test_an_xlsx_import_reads_date_cells_and_reports_lines(db):
    header = ["Number", "Text", "Executing bodies", "Recommended institutions", "Deadline", "Indicators"]
    good = workbook([header, ["3.1", "Hotline campaign", LABOUR, "", date(2027, 3, 31), "1 campaign"]])
    assert (await import_(db, "plan.xlsx", good)).created == 1
    bad = workbook(
        [header, ["3.2", "Fine", LABOUR, "", date(2027, 3, 31), ""], ["3.3", "Late", LABOUR, "", "soon", ""]]
    )
    with pytest.raises(InvalidInput) as raised:
        await import_(db, "plan.xlsx", bad)
    assert [p.field for p in raised.value.problems] == ["line 3: deadline"]
    assert await measures_stored(db) == 1


async def test_only_the_coordinator_head_or_secretary_edit_the_plan(db):
    data = MeasureIn(number="4.1", text="X", executing_bodies=[LABOUR], deadline=date(2027, 1, 1))
    with pytest.raises(PermissionDenied):
        async with db.transaction() as session:
            await nap.create_measure(session, MEMBER, data, BAKU)
    async with db.transaction() as session:
        created = await nap.create_measure(session, COORDINATOR, data, BAKU)
    with pytest.raises(InvalidInput) as raised:
        async with db.transaction() as session:
            await nap.create_measure(session, SECRETARY, data, BAKU)
    assert raised.value.problems[0].field == "number"
    async with db.transaction() as session:
        edited = await nap.update_measure(
            session, SECRETARY, created.id, data.model_copy(update={"text": "Edited"}), BAKU
        )
    assert edited.text == "Edited"


async def test_each_body_reports_its_own_progress_with_evidence_and_the_measure_follows(db):
    async with db.transaction() as session:
        measure = await nap.create_measure(
            session,
            SECRETARY,
            MeasureIn(number="5.1", text="Shelter", executing_bodies=[LABOUR, HEALTH], deadline=date(2030, 1, 1)),
            BAKU,
        )

    async def report(who, body, status, files=()):
        async with db.transaction() as session:
            return await nap.report_progress(
                session, who, measure.id, body=body, status=status, text="Done so far", files=list(files), zone=BAKU
            )

    with pytest.raises(PermissionDenied):
        await report(MEMBER, HEALTH, "done")  # not Günel's body
    with pytest.raises(InvalidInput):
        await report(MEMBER, "Xarici İşlər Nazirliyi", "done")  # not an executing body of the measure
    document = "Hesabat: ğ ı ş".encode()
    after = await report(MEMBER, LABOUR, "done", [("report.txt", "text/plain", document)])
    assert after.status == "in_progress"  # the health ministry has not reported yet
    [evidence] = after.progress[0].evidence
    assert evidence.sha256 == hashlib.sha256(document).hexdigest() and evidence.size == len(document)
    async with db.reader() as session:
        assert (await nap.evidence_file(session, MEMBER, evidence.id)).content == document
    done = await report(SECRETARY, HEALTH, "done")
    assert done.status == "done" and not done.overdue
    assert [e.status for e in await nap_events(db)][-2:] == ["in_progress", "done"]


async def test_overdue_measures_are_flagged_and_counted_by_body(db):
    async with db.transaction() as session:
        for number, deadline in (("6.1", date.today() - timedelta(days=3)), ("6.2", date.today() + timedelta(days=90))):
            await nap.create_measure(
                session,
                SECRETARY,
                MeasureIn(number=number, text="M", executing_bodies=[LABOUR], deadline=deadline),
                BAKU,
            )
    async with db.reader() as session:
        overdue = await nap.list_measures(session, MEMBER, BAKU, overdue_only=True)
        by_body = await nap.progress_by_body(session, MEMBER, BAKU)
    assert [m.number for m in overdue] == ["6.1"]
    assert [(b.body, b.measures, b.overdue, b.not_started) for b in by_body] == [(LABOUR, 2, 1, 2)]
    [event] = [e for e in await nap_events(db) if e.number == "6.1"]
    assert event.overdue
