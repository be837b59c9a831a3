import asyncio
import base64
import json
import sys
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from coordination.database import MIGRATIONS
from coordination.settings import CoordinationSettings
from hotline_common.cli import run_service_cli
from hotline_common.db import Database
from hotline_common.settings import load_settings


class VerifySettings(BaseSettings):
    """All `verify-protocol` needs: the database holding the protocols and the public keys."""

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    database_url: str


USAGE = "usage: coordination verify-protocol <protocol id | exported protocol .json file>"


async def verify_protocol(settings: VerifySettings, target: str) -> int:
    """Verify a stored protocol (by id) or an exported one (a file from GET /protocols/{id}/export)
    against the signing keys in this service's database. Exit 0 valid, 1 invalid, 2 unusable input."""
    from coordination.protocols import service
    from coordination.protocols.models import Protocol

    db = Database(settings.database_url)
    try:
        async with db.reader() as session:
            path = Path(target)
            if path.is_file():
                try:
                    exported = json.loads(path.read_text(encoding="utf-8"))
                    body, signature = exported["body"], base64.b64decode(exported["signature"], validate=True)
                except (ValueError, KeyError, TypeError) as exc:
                    print(f"{target}: not an exported protocol ({type(exc).__name__})", file=sys.stderr)
                    return 2
                result = await service.check(session, body, signature)
            else:
                row = await session.get(Protocol, target)
                if row is None:
                    print(f"no protocol {target} (and no such file)", file=sys.stderr)
                    return 2
                result = await service.verify_row(session, row)
    finally:
        await db.dispose()
    verdict = "VALID" if result.valid else "INVALID"
    print(
        f"protocol {result.protocol_id or target}: {verdict}: {result.reason}"
        + (
            f" (key {result.key_id}{', retired' if result.key_retired else ''}; sha256 {result.digest})"
            if result.valid
            else ""
        )
    )
    return 0 if result.valid else 1


def main() -> None:
    # `verify-protocol` takes an argument, which the shared CLI's fixed commands do not.
    if len(sys.argv) > 1 and sys.argv[1] == "verify-protocol":
        if len(sys.argv) != 3:
            print(USAGE, file=sys.stderr)
            raise SystemExit(2)
        raise SystemExit(asyncio.run(verify_protocol(load_settings(VerifySettings), sys.argv[2])))
    run_service_cli("coordination", CoordinationSettings, "coordination.app:build_runtime", MIGRATIONS)


if __name__ == "__main__":
    main()
