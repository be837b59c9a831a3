"""The command line every service shares: `<service> serve` (default), `<service> migrate` (Alembic)
and `<service> provision` (JetStream streams and durable consumers), plus a service's own commands.

The web app, Alembic and tracing are imported only by the command that needs them (named as
"module:function"): an operator's `verify-audit` or `rebuild` starts in a second, not in the time
it takes to import every route of the service."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from hotline_common.logging import setup_logging
from hotline_common.settings import ServiceSettings, load_settings

if TYPE_CHECKING:
    from hotline_common.runtime import ServiceRuntime

S = TypeVar("S", bound=ServiceSettings)  # the service's own settings class

ExtraCommand = Callable[[S], Coroutine[Any, Any, None]]
Build = Callable[[S], "ServiceRuntime[Any]"]


def load(target: str) -> Any:
    """The function a "package.module:function" names, imported now."""
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


def run_service_cli(
    name: str,
    settings_cls: type[S],
    build: str,
    migrations: str,
    extra: dict[str, str | ExtraCommand[S]] | None = None,
    argv: list[str] | None = None,
) -> None:
    """`build` is a "module:function" name (see the module's docstring), and so may `extra`'s commands be."""
    extra = extra or {}
    parser = argparse.ArgumentParser(prog=name)
    parser.add_argument("command", nargs="?", default="serve", choices=["serve", "migrate", "provision", *extra])
    args = parser.parse_args(argv)
    settings = load_settings(settings_cls)
    setup_logging(name, settings.log_level)
    if args.command == "migrate":
        from hotline_common.migrations import upgrade

        upgrade(migrations, settings.database_url)
        return
    if args.command == "provision":
        asyncio.run(_provision(load(build), settings))
        return
    if args.command in extra:
        command = extra[args.command]
        asyncio.run((load(command) if isinstance(command, str) else command)(settings))
        return
    _serve(name, load(build), settings)


def _serve(name: str, build: Build[S], settings: S) -> None:
    from hotline_common.runtime import PortInUse
    from hotline_common.tracing import setup_tracing

    setup_tracing(name)

    async def serve() -> None:
        await build(settings).serve()

    try:
        asyncio.run(serve())
    except PortInUse as exc:
        print(exc.code, file=sys.stderr)
        raise SystemExit(3) from None


async def _provision(build: Build[S], settings: S) -> None:
    await build(settings).provision_events()
    print("streams and consumers provisioned")
