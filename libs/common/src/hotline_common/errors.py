"""Domain errors raised by service.py functions; each interface maps them to its own status.

HTTP: 422 / 404 / 403 / 401 / 409 / 503. gRPC: INVALID_ARGUMENT / NOT_FOUND / PERMISSION_DENIED /
UNAUTHENTICATED / ABORTED / UNAVAILABLE. One rule, written once, holds on every interface.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

# A message is an English template (the msgid, with `{name}` placeholders) and its parameters:
# the API answers the English text; pages translate the template and fill in the parameters.
Params = Mapping[str, Any]


class DomainError(Exception):
    http_status = 400
    grpc_code_name = "FAILED_PRECONDITION"

    def __init__(self, message: str, /, **params: Any):
        self.template = message
        self.params: Params = params
        self.message = message.format(**params) if params else message
        super().__init__(self.message)


class ValueProblem(ValueError):
    """What a validator raises for a value it refuses: its text is the English the API answers; it
    keeps its template and parameters, so pages translate it (`ValueProblem("{value} is not a time
    of day", value=typed)`)."""

    def __init__(self, template: str, /, **params: Any):
        self.template = template
        self.params: Params = params
        super().__init__(template.format(**params) if params else template)

    def at(self, field: str) -> FieldProblem:
        return FieldProblem(field, self.template, self.params)


Location = tuple[int | str, ...]


def dotted(location: Location) -> str:
    """The field as the API names it: `languages.0`, `body` for the whole input."""
    return ".".join(str(part) for part in location) or "body"


class _ValidationErrors(Protocol):
    """pydantic's ValidationError and FastAPI's RequestValidationError alike."""

    def errors(self) -> Sequence[Mapping[str, Any]]: ...


@dataclass(frozen=True)
class FieldProblem:
    field: str
    template: str
    params: Params = dataclasses.field(default_factory=dict)

    @property
    def reason(self) -> str:
        """The English text, parameters filled in."""
        return self.template.format(**self.params) if self.params else self.template

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


class InvalidInput(DomainError):
    http_status = 422
    grpc_code_name = "INVALID_ARGUMENT"

    def __init__(self, problems: list[FieldProblem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))

    @classmethod
    def single(cls, field: str, reason: str, /, **params: Any) -> InvalidInput:
        return cls([FieldProblem(field, reason, params)])

    @classmethod
    def from_pydantic(cls, exc: _ValidationErrors, name: Callable[[Location], str] = dotted) -> InvalidInput:
        """Turn a pydantic ValidationError into field problems named as the API names them (or as
        `name` says, e.g. a CSV column)."""
        problems = []
        for err in exc.errors():
            where = name(tuple(err.get("loc", ())))
            problems.append(FieldProblem(where, *_pydantic_template(err)))
        return cls(problems)


def problems_body(error: InvalidInput) -> dict[str, Any]:
    """FastAPI's 422 shape, `{"detail": [{"loc": [...], "msg": ..., "type": ...}]}`, for our problems."""
    return {"detail": [{"loc": p.field.split("."), "msg": p.reason, "type": "value_error"} for p in error.problems]}


def _pydantic_template(err: Mapping[str, Any]) -> tuple[str, Params]:
    """pydantic gives the formatted English and the values it filled in (`ctx`); our validators'
    ValueErrors carry our own msgid. Put the placeholders back so pages can translate."""
    ctx = err.get("ctx") or {}
    error = ctx.get("error")
    if isinstance(error, ValueProblem):
        return error.template, error.params
    if err.get("type") == "value_error" and isinstance(error, ValueError):
        return str(error), {}
    text = str(err.get("msg", "invalid"))
    params: dict[str, Any] = {}
    for key, value in ctx.items():
        if not isinstance(value, str | int | float):
            continue
        # A float bound given as a whole number (`le=180`) is spelt 180 in the message.
        shown = int(value) if isinstance(value, float) and value.is_integer() else value
        if str(shown) in text:
            params[key] = shown
            text = text.replace(str(shown), "{" + key + "}", 1)
    return text, params


class NotFound(DomainError):
    http_status = 404
    grpc_code_name = "NOT_FOUND"


class PermissionDenied(DomainError):
    http_status = 403
    grpc_code_name = "PERMISSION_DENIED"


class Unauthenticated(DomainError):
    http_status = 401
    grpc_code_name = "UNAUTHENTICATED"


class Conflict(DomainError):
    http_status = 409
    grpc_code_name = "ABORTED"


class DependencyUnavailable(DomainError):
    """Another service or the broker did not answer; the caller may retry."""

    http_status = 503
    grpc_code_name = "UNAVAILABLE"
