"""What reporting's handlers receive, as typed FastAPI dependencies."""

from typing import Annotated

from fastapi import Depends

from hotline_common.web.deps import typed_runtime
from reporting.reports.worker import ReportWorker
from reporting.runtime import ReportingRuntime

Runtime = Annotated[ReportingRuntime, Depends(typed_runtime(ReportingRuntime))]


def suppression_k(runtime: Runtime) -> int:
    return runtime.suppression_k


def report_worker(runtime: Runtime) -> ReportWorker:
    return runtime.worker


SuppressionK = Annotated[int, Depends(suppression_k)]
Worker = Annotated[ReportWorker, Depends(report_worker)]
