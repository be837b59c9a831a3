"""The directory pages' forms: what a form posts, as the values service.py takes, and the problems
service.py finds, as each form shows them (by input, by CSV line and column)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

from pydantic import ValidationError
from starlette.datastructures import FormData

from hotline_common.errors import FieldProblem, InvalidInput, ValueProblem
from hotline_common.i18n_markers import N_
from referrals.directory import hours
from referrals.directory.schemas import ELIGIBILITY, FreePlacesIn, ServiceOut

SERVICE_TEXT_FIELDS = (
    "organisation_id",
    "name",
    "service_type",
    "region",
    "city",
    "address",
    "phone",
    "email",
    "website",
)
SERVICE_NUMBER_FIELDS = ("latitude", "longitude", "capacity", "free_places")
ORGANISATION_FIELDS = ("name", "kind", "phone", "email", "website")
LISTS = ("languages", "eligibility")
WHOLE_NUMBER = N_("a whole number, 0 or more")


@dataclass(frozen=True)
class DirectoryFilters:
    """The keepers' directory's filters; they stay on the links to the other pages."""

    service_type: str | None = None
    region: str | None = None
    text: str | None = None

    @classmethod
    def given(cls, service_type: str, region: str, text: str) -> DirectoryFilters:
        return cls(service_type or None, region or None, text.strip()[:100] or None)

    def page_link(self, page: int) -> str:
        query = {name: value for name, value in asdict(self).items() if value}
        return "/directory?" + urlencode(query | {"page": page})


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def hours_from_form(form: FormData) -> tuple[str, list[FieldProblem]]:
    """Seven inputs ("09:00-13:00, 14:00-18:00", empty = closed) -> the canonical text; a bad day
    is named by its own input."""
    clauses, problems = [], []
    for day in hours.DAYS:
        value = text(form, f"hours_{day}")
        if not value:
            continue
        try:
            hours.parse(f"{day} {value}")
        except ValueProblem as problem:
            problems.append(problem.at(f"hours_{day}"))
            continue
        clauses.append(f"{day} {value}")
    return "; ".join(clauses), problems


def service_values(form: FormData) -> dict[str, Any]:
    """The service form's values; a day's bad hours raise InvalidInput naming that day's input."""
    opening_hours, problems = hours_from_form(form)
    if problems:
        raise InvalidInput(problems)
    values: dict[str, Any] = {name: text(form, name) for name in SERVICE_TEXT_FIELDS}
    for name in SERVICE_NUMBER_FIELDS:
        values[name] = text(form, name).replace(",", ".") or None
    for name in LISTS:
        values[name] = form.getlist(name)
    values["opening_hours"] = opening_hours
    return values


def new_service_values(organisation_id: str) -> dict[str, Any]:
    return {"organisation_id": organisation_id, "languages": ["az"], "eligibility": list(ELIGIBILITY)}


def entry_values(entry: ServiceOut) -> dict[str, Any]:
    """A stored service as its form shows it: the week's hours one input a day."""
    values = entry.model_dump()
    for day, spans in entry.hours.items():
        values[f"hours_{day}"] = ", ".join(spans)
    return values


def shown(form: FormData) -> dict[str, Any]:
    """What was posted, shown again with the problems (the lists as lists)."""
    return dict(form) | {name: form.getlist(name) for name in LISTS}


def organisation_values(form: FormData) -> dict[str, str]:
    return {name: text(form, name) for name in ORGANISATION_FIELDS}


def by_field(exc: InvalidInput) -> dict[str, FieldProblem]:
    return {p.field: p for p in exc.problems}


def free_places(free: str, capacity: str) -> FreePlacesIn:
    """The places form: an empty or bad number is one problem, on free_places."""
    try:
        return FreePlacesIn.model_validate({"free_places": free.strip() or -1, "capacity": capacity.strip() or None})
    except ValidationError:
        raise InvalidInput.single("free_places", WHOLE_NUMBER) from None


def import_problems(exc: InvalidInput) -> list[dict[str, Any]]:
    """The CSV import's problems ("line 3.phone") as rows of line, column and the problem."""
    rows = []
    for problem in exc.problems:
        where, _, column = problem.field.partition(".")
        rows.append({"line": where.removeprefix("line "), "column": column or where, "problem": problem})
    return rows
