"""Downloads: every published table as CSV or XLSX, the dashboard as one workbook, the HTCDS export.
All go through the same statistics service (and its suppression) as the pages and the API."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from hotline_common.errors import InvalidInput
from hotline_common.web.deps import CurrentPrincipal, Db
from hotline_common.web.pages import PageLanguage
from reporting import labels
from reporting.deps import SuppressionK
from reporting.exports import formats, htcds
from reporting.i18n import translator
from reporting.statistics import service
from reporting.statistics.schemas import StatisticsQuery, Table

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_rows(table: Table, lang: str) -> tuple[list[str], list[list[object]]]:
    """The code column (for machines), its label in the reader's language, the count."""
    dimension = "referral_region" if table.name == "referrals_by_region" else table.dimension
    rows: list[list[object]] = [[cell.key, labels.label(lang, dimension, cell.key), cell.count] for cell in table.cells]
    rows.append(["total", translator().gettext(lang, "Total"), table.total])
    return [table.dimension, "label", "count"], rows


def notes(k: int | None) -> list[str]:
    return [f"x = hidden: fewer than {k} people, or a cell that would give such a count away"] if k else []


def download(body: bytes, filename: str, kind: str) -> Response:
    return Response(
        body,
        media_type=CSV if kind == "csv" else XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}.{kind}"'},
    )


Filters = Annotated[StatisticsQuery, Query()]
router = APIRouter(prefix="/api/v1/exports", tags=["exports"])


@router.get("/tables/{subject}/{dimension}.{kind}")
async def table_file(
    lang: PageLanguage,
    subject: Literal["calls", "referrals"],
    dimension: str,
    kind: Literal["csv", "xlsx"],
    query: Filters,
    principal: CurrentPrincipal,
    db: Db,
    k: SuppressionK,
) -> Response:
    async with db.reader() as session:
        table = await service.table(session, principal, subject, dimension, query, k)
    header, rows = table_rows(table, lang)
    shown_k = service.suppression_for(principal, k)
    body = (
        formats.to_csv(header, rows, notes(shown_k))
        if kind == "csv"
        else formats.to_xlsx([(table.name, header, rows)], notes(shown_k))
    )
    return download(body, table.name, kind)


@router.get("/dashboard.xlsx")
async def dashboard_workbook(
    lang: PageLanguage, query: Filters, principal: CurrentPrincipal, db: Db, k: SuppressionK, period: str = "month"
) -> Response:
    if period not in ("day", "week", "month", "quarter", "year"):
        raise InvalidInput.single("period", "must be day, week, month, quarter or year")
    async with db.reader() as session:
        board = await service.dashboard(session, principal, query, k, period=period)
    sheets = [(t.name, *table_rows(t, lang)) for t in board.calls + board.referrals]
    return download(formats.to_xlsx(sheets, notes(board.suppression_k)), "dashboard", "xlsx")


@router.get("/htcds.{kind}")
async def htcds_export(
    kind: Literal["csv", "xlsx"],
    query: Filters,
    principal: CurrentPrincipal,
    db: Db,
    k: SuppressionK,
    fields: Annotated[list[str] | None, Query()] = None,
) -> Response:
    chosen = tuple(fields or htcds.DEFAULT_FIELDS)
    unknown = [f for f in chosen if f not in htcds.FIELDS]
    if unknown:
        raise InvalidInput.single(
            "fields",
            "unknown HTCDS field {field}; choose from {choices}",
            field=unknown[0],
            choices=", ".join(htcds.FIELDS),
        )
    async with db.reader() as session:
        header, rows = await htcds.htcds_rows(session, principal, query, k, chosen)
    body = (
        formats.to_csv(header, rows, notes(k))
        if kind == "csv"
        else formats.to_xlsx([("htcds", header, rows)], notes(k))
    )
    return download(body, "htcds-aggregate", kind)
