from hotline_common.cli import run_service_cli
from hotline_common.db import Database
from intake.app import build_runtime
from intake.audit.service import verify_chain
from intake.database import MIGRATIONS_DIR
from intake.settings import IntakeSettings


async def verify_audit(settings: IntakeSettings) -> None:
    """`intake verify-audit`: check the access audit's hash chain; exit 1 at the first broken link."""
    db = Database(settings.database_url)
    try:
        checked, broken = await verify_chain(db)
    finally:
        await db.dispose()
    if broken:
        print(f"access audit BROKEN after {checked} good entries: {broken}")
        raise SystemExit(1)
    print(f"access audit intact: {checked} entries")


def main() -> None:
    run_service_cli("intake", IntakeSettings, build_runtime, MIGRATIONS_DIR, extra={"verify-audit": verify_audit})


if __name__ == "__main__":
    main()
