"""`referrals import-directory FILE` and `referrals export-directory [FILE]`: the directory's CSV from
the command line, against DATABASE_URL (migrated first). Changes are recorded in the history as
made by the command line."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from pathlib import Path

from hotline_common.auth import Principal, Role
from hotline_common.db import Database
from hotline_common.errors import InvalidInput
from hotline_common.migrations import upgrade_async
from referrals.database import MIGRATIONS
from referrals.directory import csvio

COMMANDS = ("import-directory", "export-directory")


def _principal() -> Principal:
    user = getpass.getuser()
    return Principal(subject=f"cli:{user}", role=Role.ADMIN, name=f"command line ({user})")


async def _run(command: str, path: str | None, database_url: str) -> int:
    await upgrade_async(MIGRATIONS, database_url)
    database = Database(database_url)
    try:
        if command == "export-directory":
            async with database.reader() as session:
                text = await csvio.export_directory(session, _principal())
            if path and path != "-":
                Path(path).write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
            return 0
        assert path is not None  # main() requires a FILE for import-directory
        body = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        try:
            async with database.transaction() as session:
                report = await csvio.import_directory(session, _principal(), csvio.decode(body, 50 * 1024 * 1024))
        except InvalidInput as exc:
            print(f"{path}: nothing imported, {len(exc.problems)} problem(s):", file=sys.stderr)
            for problem in exc.problems:
                where, _, column = problem.field.partition(".")
                print(f"  {where}, {column or 'file'}: {problem.reason}", file=sys.stderr)
            return 1
        print(
            f"imported {report.rows} row(s): {report.organisations_created} organisation(s) created, "
            f"{report.organisations_updated} updated; {report.services_created} service(s) created, "
            f"{report.services_updated} updated"
        )
        return 0
    finally:
        await database.dispose()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="referrals")
    parser.add_argument("command", choices=COMMANDS)
    parser.add_argument("file", nargs="?", default=None, help="CSV file ('-' for stdin/stdout)")
    args = parser.parse_args(argv)
    if args.command == "import-directory" and not args.file:
        parser.error("import-directory needs a FILE ('-' for stdin)")
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        print("Configuration error: DATABASE_URL is required", file=sys.stderr)
        return 2
    if args.file and args.file != "-" and args.command == "import-directory" and not Path(args.file).is_file():
        print(f"{args.file}: no such file", file=sys.stderr)
        return 2
    return asyncio.run(_run(args.command, args.file, database_url))
