"""Uploads and downloads of documents (NAP import and evidence, library files).

A request's body is read only after the caller has checked the principal's permission (FastAPI
reads `File()`/`Form()` parameters before any dependency runs, so upload routes take the form from
`posted_form` instead), and never past a limit: a declared Content-Length over it is refused at
once, a streamed body as soon as it passes it (413, on the file's field so pages show it there).
What is stored is a file name with no path or markup in it; what is served is always an
attachment, with a content type from a fixed list (never one that a browser renders as a page)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote

from fastapi import Request
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.types import Message

from hotline_common.errors import FieldProblem, InvalidInput
from hotline_common.i18n_markers import N_


class UploadTooLarge(InvalidInput):
    http_status = 413


def too_large(field: str, max_bytes: int) -> UploadTooLarge:
    megabytes = f"{max_bytes / (1024 * 1024):.1f}".removesuffix(".0")
    return UploadTooLarge([FieldProblem(field, N_("the upload is larger than {size} MB"), {"size": megabytes})])


def _declared_length(request: Request) -> int | None:
    value = request.headers.get("content-length", "")
    return int(value) if value.isdigit() else None


@asynccontextmanager
async def posted_form(request: Request, *, field: str, max_bytes: int, max_files: int) -> AsyncIterator[FormData]:
    """The posted form, at most `max_bytes` of body and `max_files` files (its temporary files are
    closed on leaving). Call it only once the request is authorised."""
    declared = _declared_length(request)
    if declared is not None and declared > max_bytes:
        raise too_large(field, max_bytes)
    received = 0

    async def counted() -> Message:
        nonlocal received
        message = await request.receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > max_bytes:
                raise too_large(field, max_bytes)
        return message

    try:
        form = await Request(request.scope, counted).form(max_files=max_files, max_fields=20)
    except HTTPException:  # the multipart parser's refusals: too many parts, a broken body
        raise InvalidInput.single(field, N_("the upload could not be read (too many files or a broken form)")) from None
    try:
        yield form
    finally:
        await form.close()


def field_text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


async def files_in(form: FormData, name: str, limit: int) -> list[tuple[str, str, bytes]]:
    """(file name, content type, content) of each file chosen under `name`; one byte over `limit`
    is read, enough for the service to refuse it."""
    found = []
    for upload in form.getlist(name):
        if isinstance(upload, UploadFile) and upload.filename:
            found.append((upload.filename, upload.content_type or "", await upload.read(limit + 1)))
    return found


def multipart_body(required: list[str], **properties: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI description of a route's multipart body (FastAPI cannot infer it: the route reads
    the form itself, after authorising)."""
    schema = {"type": "object", "required": required, "properties": properties}
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}}


BINARY: dict[str, Any] = {"type": "string", "format": "binary"}
STRING: dict[str, Any] = {"type": "string"}

# Path separators, markup, quotes, what Windows forbids in names, and control characters.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\'`;&$%{}\[\]]')


def safe_filename(name: str, limit: int = 200) -> str:
    """The name to store for an uploaded file: its last path component, without markup, control
    or path characters, no leading dots, at most `limit` characters (keeping the extension)."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = _UNSAFE.sub("_", name).strip(" .")
    if len(name) > limit:
        stem, dot, extension = name.rpartition(".")
        keep = extension[:20] if dot and stem else ""
        name = name[: limit - len(keep) - 1].rstrip(" .") + "." + keep if keep else name[:limit]
    return name or "document"


# What documents may be served as: types a browser does not run or render as a page of this site.
SAFE_TYPES = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/zip",
        "image/png",
        "image/jpeg",
        "image/gif",
        "text/plain",
        "text/csv",
    }
)
UNKNOWN_TYPE = "application/octet-stream"


def safe_content_type(declared: str | None) -> str:
    """`declared` (its parameters dropped) if it is on the list, else application/octet-stream."""
    kind = (declared or "").split(";", 1)[0].strip().lower()
    return kind if kind in SAFE_TYPES else UNKNOWN_TYPE


def attachment(filename: str) -> dict[str, str]:
    """Headers that make a browser save a document rather than show it: Content-Disposition with an
    ASCII fallback name and the real one as RFC 6266/5987 `filename*`."""
    name = safe_filename(filename)
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or "document"
    return {
        "Content-Disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}",
        "X-Content-Type-Options": "nosniff",
    }
