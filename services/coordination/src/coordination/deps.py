"""What coordination's handlers receive, as typed FastAPI dependencies (besides `CurrentPrincipal`
and `Db` from hotline_common.web.deps and the page kit's `PageKit`): the runtime's parts, and the
pages' sign-in gates (no session: to the sign-in page and back; no permission: the refusal page)."""

from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends

from coordination.figures.client import ReportingClient
from coordination.nap.spreadsheet import SheetLimits
from coordination.protocols.keys import KeyVault
from coordination.runtime import CoordinationRuntime
from coordination.settings import CoordinationSettings
from hotline_common.auth import Permission, Principal
from hotline_common.i18n import Translator
from hotline_common.web.deps import typed_runtime
from hotline_common.web.pages import signed_in

Runtime = Annotated[CoordinationRuntime, Depends(typed_runtime(CoordinationRuntime))]


def zone(runtime: Runtime) -> ZoneInfo:
    """The hotline's local time (TIMEZONE): quarters, a meeting's day, the pages' times."""
    return runtime.zone


def vault(runtime: Runtime) -> KeyVault:
    return runtime.vault


def reporting(runtime: Runtime) -> ReportingClient:
    return runtime.reporting


def translator(runtime: Runtime) -> Translator:
    return runtime.translator


def quarter_warning_weeks(runtime: Runtime) -> int:
    return runtime.settings.quarter_warning_weeks


def settings(runtime: Runtime) -> CoordinationSettings:
    """The uploads' limits, among others."""
    return runtime.settings


def import_limits(runtime: Runtime) -> SheetLimits:
    """How much of a NAP import file is read (NAP_IMPORT_MAX_*)."""
    s = runtime.settings
    return SheetLimits(
        rows=s.nap_import_max_rows,
        columns=s.nap_import_max_columns,
        cell_chars=s.nap_import_max_cell_chars,
        unpacked_bytes=s.nap_import_max_unpacked_bytes,
    )


Zone = Annotated[ZoneInfo, Depends(zone)]
Settings = Annotated[CoordinationSettings, Depends(settings)]
ImportLimits = Annotated[SheetLimits, Depends(import_limits)]
Vault = Annotated[KeyVault, Depends(vault)]
Reporting = Annotated[ReportingClient, Depends(reporting)]
Catalogs = Annotated[Translator, Depends(translator)]
WarningWeeks = Annotated[int, Depends(quarter_warning_weeks)]

# The pages' gates: the Working Group's records, and the hotline's figures (which analysts read too).
GroupReader = Annotated[Principal, Depends(signed_in(Permission.WG_READ))]
FiguresReader = Annotated[Principal, Depends(signed_in(Permission.STATS_READ))]
