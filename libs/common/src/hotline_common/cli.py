"""The command line every service shares: `<service> serve` (default), `<service> migrate` (Alembic)
and `<service> provision` (JetStream streams and durable consumers)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from hotline_common.logging import setup_logging
from hotline_common.migrations import upgrade
from hotline_common.runtime import PortInUse, ServiceRuntime
from hotline_common.settings import ServiceSettings, load_settings
from hotline_common.tracing import setup_tracing

S = TypeVar("S", bound=ServiceSettings)  # the service's own settings class

ExtraCommand = Callable[[S], Coroutine[Any, Any, None]]


def run_service_cli(
    name: str,
    settings_cls: type[S],
    build: Callable[[S], ServiceRuntime[Any]],
    migrations: str,
    extra: dict[str, ExtraCommand[S]] | None = None,
    argv: list[str] | None = None,
) -> None:
    extra = extra or {}
    parser = argparse.ArgumentParser(prog=name)
    parser.add_argument("command", nargs="?", default="serve", choices=["serve", "migrate", "provision", *extra])
    args = parser.parse_args(argv)
    settings = load_settings(settings_cls)
    setup_logging(name, settings.log_level)
    if args.command == "migrate":
        upgrade(migrations, settings.database_url)
        return
    if args.command == "provision":
        asyncio.run(_provision(build, settings))
        return
    if args.command in extra:
        asyncio.run(extra[args.command](settings))
        return
    setup_tracing(name)

    async def serve() -> None:
        await build(settings).serve()

    try:
        asyncio.run(serve())
    except PortInUse as exc:
        print(exc.code, file=sys.stderr)
        raise SystemExit(3) from None


async def _provision(build: Callable[[S], ServiceRuntime[Any]], settings: S) -> None:
    await build(settings).provision_events()
    print("streams and consumers provisioned")
