"""Domain errors raised by service.py functions; each interface maps them to its own status.

HTTP: 422 / 404 / 403 / 401 / 409 / 503. gRPC: INVALID_ARGUMENT / NOT_FOUND / PERMISSION_DENIED /
UNAUTHENTICATED / ABORTED / UNAVAILABLE. One rule, written once, holds on every interface.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


class DomainError(Exception):
    http_status = 400
    grpc_code_name = "FAILED_PRECONDITION"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _ValidationErrors(Protocol):
    """pydantic's ValidationError and FastAPI's RequestValidationError alike."""

    def errors(self) -> Sequence[Mapping[str, Any]]: ...


@dataclass(frozen=True)
class FieldProblem:
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


class InvalidInput(DomainError):
    http_status = 422
    grpc_code_name = "INVALID_ARGUMENT"

    def __init__(self, problems: list[FieldProblem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))

    @classmethod
    def single(cls, field: str, reason: str) -> InvalidInput:
        return cls([FieldProblem(field, reason)])

    @classmethod
    def from_pydantic(cls, exc: _ValidationErrors) -> InvalidInput:
        """Turn a pydantic ValidationError into field problems named as the API names them."""
        problems = []
        for err in exc.errors():
            field = ".".join(str(part) for part in err.get("loc", ())) or "body"
            problems.append(FieldProblem(field, err.get("msg", "invalid")))
        return cls(problems)


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
