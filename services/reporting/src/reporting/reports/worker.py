"""The background worker: daily counts of changed days, report jobs, and the schedule that queues
last quarter's report."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from hotline_common.db import Database
from reporting.reports import service
from reporting.statistics import service as statistics

log = logging.getLogger("reporting.reports")


class ReportWorker:
    def __init__(self, db: Database, k: int, *, scheduled: bool, check_seconds: float):
        self.db = db
        self.k = k
        self.scheduled = scheduled
        self.check_seconds = check_seconds
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="report-worker")

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(self._task, 30)

    async def run(self) -> None:
        # The first look a few minutes after start, not at once: a restart does not compete with
        # start-up work, and short-lived test systems never render a report they did not ask for.
        next_check = time.monotonic() + min(300.0, self.check_seconds)
        while not self._stopping:
            try:
                if self.scheduled and time.monotonic() >= next_check:
                    next_check = time.monotonic() + self.check_seconds
                    await service.schedule_due(self.db)
                # Daily counts of the days changed since the last round (period reports sum them).
                while await statistics.refresh_daily_counts(self.db) and not self._stopping:
                    pass
                job_id = await service.next_queued(self.db)
                if job_id is not None:
                    await service.generate(self.db, job_id, self.k)
                    continue
            except Exception:
                log.exception("report worker round failed")
            self._wake.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), 2.0)
