"""The directory as one CSV file: a row per service, its organisation's columns repeated (a row with
empty service columns keeps an organisation that has no services yet).

Import checks every row first and reports each bad one by line number and column; a file with any
problem imports nothing. Rows with ids update those entries, rows without ids create new ones, and
rows that change nothing leave no history. Export then import gives the same directory."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass, field

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.auth import Permission, Principal, require
from hotline_common.db import utcnow
from hotline_common.errors import FieldProblem, InvalidInput, Location
from hotline_common.exports import from_spreadsheet, spreadsheet_safe_row
from referrals.directory import service
from referrals.directory.models import DirectoryService, Organisation
from referrals.directory.schemas import OrganisationIn, ServiceIn

COLUMNS = (
    "organisation_id",
    "organisation_name",
    "organisation_kind",
    "organisation_phone",
    "organisation_email",
    "organisation_website",
    "organisation_active",
    "service_id",
    "service_name",
    "service_type",
    "region",
    "city",
    "address",
    "latitude",
    "longitude",
    "languages",
    "opening_hours",
    "eligibility",
    "phone",
    "email",
    "website",
    "capacity",
    "free_places",
    "service_active",
)
# Schema field -> CSV column, so a problem names the column a person sees in the file.
ORG_COLUMN = {
    "name": "organisation_name",
    "kind": "organisation_kind",
    "phone": "organisation_phone",
    "email": "organisation_email",
    "website": "organisation_website",
}
SERVICE_COLUMN = {"name": "service_name"}
SERVICE_ONLY = COLUMNS[COLUMNS.index("service_id") :]
MAX_PROBLEMS = 500
MAX_ROWS = 50_000


class ImportReport(BaseModel):
    rows: int
    organisations_created: int
    organisations_updated: int
    services_created: int
    services_updated: int


def decode(body: bytes, max_bytes: int) -> str:
    if len(body) > max_bytes:
        raise InvalidInput.single("file", "larger than {megabytes} MB", megabytes=max_bytes // (1024 * 1024))
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput.single("file", "not UTF-8 text (byte {byte})", byte=exc.start) from None


def _flag(value: bool) -> str:
    return "yes" if value else "no"


def _number(value: float | int | None) -> str:
    return "" if value is None else repr(value) if isinstance(value, float) else str(value)


async def export_directory(session: AsyncSession, principal: Principal) -> str:
    require(principal, Permission.DIRECTORY_MANAGE)
    orgs = (await session.scalars(select(Organisation).order_by(Organisation.name, Organisation.id))).all()
    services = (
        (await session.scalars(select(DirectoryService).order_by(DirectoryService.name, DirectoryService.id)))
        .unique()
        .all()
    )
    by_org: dict[str, list[DirectoryService]] = {}
    for entry in services:
        by_org.setdefault(entry.organisation_id, []).append(entry)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for org in orgs:
        org_cells = [org.id, org.name, org.kind, org.phone, org.email, org.website, _flag(org.active)]
        entries = by_org.get(org.id, [])
        if not entries:
            writer.writerow(spreadsheet_safe_row(org_cells + [""] * len(SERVICE_ONLY)))
        for entry in entries:
            writer.writerow(
                spreadsheet_safe_row(
                    [
                        *org_cells,
                        entry.id,
                        entry.name,
                        entry.service_type,
                        entry.region,
                        entry.city,
                        entry.address,
                        _number(entry.latitude),
                        _number(entry.longitude),
                        " ".join(entry.language_list),
                        entry.opening_hours,
                        " ".join(service.eligibility_of(entry)),
                        entry.phone,
                        entry.email,
                        entry.website,
                        _number(entry.capacity),
                        _number(entry.free_places),
                        _flag(entry.active),
                    ]
                )
            )
    return out.getvalue()


@dataclass
class _OrgRow:
    line: int
    key: str  # its id, or "name:<name>" for a new organisation without an id
    id: str | None
    data: OrganisationIn
    active: bool


@dataclass
class _ServiceRow:
    line: int
    id: str | None
    org_key: str
    values: dict
    active: bool


@dataclass
class _Checked:
    orgs: dict[str, _OrgRow] = field(default_factory=dict)
    services: list[_ServiceRow] = field(default_factory=list)
    problems: list[FieldProblem] = field(default_factory=list)
    service_lines: dict[str, int] = field(default_factory=dict)  # service id -> its first line

    def problem(self, line: int, column: str, reason: str, **params: object) -> None:
        """`reason`: an English template, `params` its values (the import page translates it)."""
        self.add(line, column, FieldProblem(column, reason, params))

    def add(self, line: int, column: str, problem: FieldProblem) -> None:
        where = f"line {line}.{column}"
        self.problems.append(FieldProblem(where, problem.template, problem.params))


def _id_cell(checked: _Checked, line: int, column: str, value: str) -> str | None:
    if not value:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        checked.problem(line, column, "not an id (a UUID like 0190a000-0000-7000-8000-000000000001)")
        return None


def _yes_no(checked: _Checked, line: int, column: str, value: str) -> bool:
    value = value.strip().lower()
    if value in ("", "yes", "true", "1", "bəli", "да"):
        return True
    if value in ("no", "false", "0", "xeyr", "нет"):
        return False
    checked.problem(line, column, "yes or no")
    return True


def _pydantic_problems(checked: _Checked, line: int, exc: ValidationError, columns: dict[str, str]) -> None:
    def column(location: Location) -> str:
        name = str(location[0]) if location else "row"
        return columns.get(name, name)

    for problem in InvalidInput.from_pydantic(exc, column).problems:
        checked.add(line, problem.field, problem)


def _check_row(checked: _Checked, line: int, row: dict[str, str], existing_names: dict[str, str]) -> None:
    org_id = _id_cell(checked, line, "organisation_id", row["organisation_id"])
    try:
        org_data = OrganisationIn(
            name=row["organisation_name"],
            kind=row["organisation_kind"],
            phone=row["organisation_phone"],
            email=row["organisation_email"],
            website=row["organisation_website"],
        )
    except ValidationError as exc:
        _pydantic_problems(checked, line, exc, ORG_COLUMN)
        org_data = None
    org_active = _yes_no(checked, line, "organisation_active", row["organisation_active"])
    if org_data is not None and (org_id or not row["organisation_id"]):
        # Without an id, an organisation is the existing one of that exact name, or a new one.
        key = org_id or existing_names.get(org_data.name) or f"name:{org_data.name}"
        seen = checked.orgs.get(key)
        if seen is None:
            checked.orgs[key] = _OrgRow(line, key, org_id or existing_names.get(org_data.name), org_data, org_active)
        else:
            for name, column in ORG_COLUMN.items():
                if getattr(seen.data, name) != getattr(org_data, name):
                    checked.problem(
                        line, column, "differs from line {first} for the same organisation", first=seen.line
                    )
            if seen.active != org_active:
                checked.problem(line, "organisation_active", "differs from line {first}", first=seen.line)
    else:
        key = None

    if not any(row[column].strip() for column in SERVICE_ONLY):
        return  # an organisation without services
    service_id = _id_cell(checked, line, "service_id", row["service_id"])
    if service_id and service_id in checked.service_lines:
        checked.problem(line, "service_id", "the same service as line {first}", first=checked.service_lines[service_id])
    elif service_id:
        checked.service_lines[service_id] = line
    values = {
        "organisation_id": "pending",
        "name": row["service_name"],
        "service_type": row["service_type"],
        "region": row["region"],
        "city": row["city"],
        "address": row["address"],
        "latitude": row["latitude"].strip() or None,
        "longitude": row["longitude"].strip() or None,
        "languages": row["languages"].split(),
        "opening_hours": row["opening_hours"],
        "eligibility": row["eligibility"].split(),
        "phone": row["phone"],
        "email": row["email"],
        "website": row["website"],
        "capacity": row["capacity"].strip() or None,
        "free_places": row["free_places"].strip() or None,
    }
    active = _yes_no(checked, line, "service_active", row["service_active"])
    try:
        data = ServiceIn.model_validate(values)
    except ValidationError as exc:
        _pydantic_problems(checked, line, exc, SERVICE_COLUMN)
        return
    for problem in service.check_service(data):
        checked.add(line, problem.field, problem)
    if key is not None:
        checked.services.append(_ServiceRow(line, service_id, key, data.model_dump(), active))


def check_file(text: str, existing_names: dict[str, str]) -> _Checked:
    checked = _Checked()
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        checked.problem(1, "header", "not CSV: {error}", error=str(exc))
        return checked
    if header is None:
        checked.problem(1, "header", "the file is empty")
        return checked
    header = [h.strip() for h in header]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    for column in missing:
        checked.problem(1, column, "column missing from the header")
    for column in unknown:
        checked.problem(1, column or "header", "unknown column")
    if missing or unknown:
        return checked
    line = reader.line_num + 1
    rows = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            checked.problem(line, "row", "not CSV: {error}", error=str(exc))
            break
        if cells and any(c.strip() for c in cells):
            rows += 1
            if len(cells) != len(header):
                checked.problem(
                    line, "row", "{count} fields, the header has {expected}", count=len(cells), expected=len(header)
                )
            elif rows > MAX_ROWS:
                checked.problem(line, "row", "more than {limit} rows", limit=MAX_ROWS)
                break
            else:
                cells = [from_spreadsheet(cell) for cell in cells]  # the export's apostrophes off
                _check_row(checked, line, dict(zip(header, cells, strict=True)), existing_names)
        if len(checked.problems) >= MAX_PROBLEMS:
            break
        line = reader.line_num + 1
    if rows == 0 and not checked.problems:
        checked.problem(2, "row", "no rows after the header")
    return checked


async def import_directory(session: AsyncSession, principal: Principal, text: str) -> ImportReport:
    require(principal, Permission.DIRECTORY_MANAGE)
    existing_names = dict((await session.execute(select(Organisation.name, Organisation.id))).tuples().all())
    checked = check_file(text, existing_names)
    if checked.problems:
        raise InvalidInput(checked.problems[:MAX_PROBLEMS])
    report = ImportReport(
        rows=0, organisations_created=0, organisations_updated=0, services_created=0, services_updated=0
    )
    org_ids: dict[str, str] = {}
    for key, row in checked.orgs.items():
        org = await session.get(Organisation, row.id) if row.id else None
        values = row.data.model_dump()
        if org is None:
            created = await service.create_organisation(
                session, principal, values, organisation_id=row.id, action="imported"
            )
            org_ids[key] = created.id
            report.organisations_created += 1
            org = await session.get(Organisation, created.id)
            assert org is not None  # created just above
        else:
            org_ids[key] = org.id
            before = service.organisation_snapshot(org)
            service.apply_organisation(org, row.data)
            org.active = row.active
            after = service.organisation_snapshot(org)
            if before != after:
                report.organisations_updated += 1
                await service.after_edit(
                    session, principal, "organisation", org.id, org.id, "imported", before, after, org
                )
            continue
        if not row.active:
            await service.set_organisation_active(session, principal, org.id, False)
    for service_row in checked.services:
        report.rows += 1
        values = service_row.values | {"organisation_id": org_ids[service_row.org_key]}
        entry = await session.get(DirectoryService, service_row.id) if service_row.id else None
        if entry is None:
            created_service = await service.create_service(
                session, principal, values, service_id=service_row.id, action="imported"
            )
            report.services_created += 1
            if not service_row.active:
                await service.set_service_active(session, principal, created_service.id, False)
            continue
        before = service.service_snapshot(entry)
        service.apply_service(entry, ServiceIn.model_validate(values))
        entry.active = service_row.active
        after = service.service_snapshot(entry)
        if before != after:
            report.services_updated += 1
            if before["free_places"] != after["free_places"]:
                entry.free_places_updated_at = utcnow()
            await service.after_edit(
                session, principal, "service", entry.id, entry.organisation_id, "imported", before, after, entry
            )
    report.rows += sum(1 for key in checked.orgs if not any(s.org_key == key for s in checked.services))
    return report
