"""What coordination's page handlers share: reading a posted form into the service's schemas (a
refused value becomes an InvalidInput naming the field, as on the API), the page that tells a
refusal, and the redirect after a step. Language, rendering, the session, the sign-in gate and
sign-in / sign-out are the shared page kit's (hotline_common.web.pages)."""

from __future__ import annotations

from typing import TypeVar

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData  # what request.form() yields

from hotline_common.auth import Principal
from hotline_common.errors import DomainError, FieldProblem, InvalidInput
from hotline_common.i18n_markers import N_
from hotline_common.web.pages import Pages

ModelT = TypeVar("ModelT", bound=BaseModel)

# pydantic's messages for what the pages' forms can send, as InvalidInput.from_pydantic makes them
# templates (the values it names become parameters); their translations are in the catalogs.
PYDANTIC_MESSAGES = (
    N_("Field required"),
    N_("String should have at least {min_length} character"),
    N_("String should have at most {max_length} characters"),
    N_("String should match pattern '{pattern}'"),
    N_("Input should be a valid date"),
    N_("Input should be a valid date or datetime, {error}"),
    N_("Input should be a valid integer, unable to parse string as an integer"),
    N_("Input should be greater than or equal to {ge}"),
    N_("Input should be {expected}"),
    N_("{field_type} should have at least {min_length} item after validation, not {actual_length}"),
    N_("{field_type} should have at most {max_length} items after validation, not {actual_length}"),
)


def parsed(model: type[ModelT], data: dict[str, object]) -> ModelT:
    """`data` as `model`, or an InvalidInput whose problems name the fields (pages show each one
    beside its field and translate it)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput.from_pydantic(exc) from None


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def optional(form: FormData, name: str) -> str | None:
    """A field whose empty value means "not given"."""
    return text(form, name).strip() or None


def lines(form: FormData, name: str) -> list[str]:
    """One item per non-empty line."""
    return [line.strip() for line in text(form, name).splitlines() if line.strip()]


def checked(form: FormData, name: str) -> bool:
    return form.get(name) == "on"


def refused(request: Request, pages: Pages, principal: Principal, error: DomainError) -> HTMLResponse:
    """A page that could not be shown (no such meeting, ...), with the reason in the reader's language."""
    return pages.render(request, "error.html", status=error.http_status, principal=principal, error=error)


def to(url: str) -> RedirectResponse:
    """After a step: the page that shows its result."""
    return RedirectResponse(url, status_code=303)


def problems_at(error: object, field: str) -> list[FieldProblem]:
    """The problems of `error` on `field` (or inside it: `agenda.2` is on `agenda`), for a page to
    show beside that field."""
    if not isinstance(error, InvalidInput):
        return []
    return [p for p in error.problems if p.field == field or p.field.startswith(field + ".")]
