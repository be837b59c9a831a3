from hotline_common.cli import run_service_cli
from hotline_common.db import Database
from intake.audit.service import verify_chain
from intake.database import MIGRATIONS
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


async def purge_expired(settings: IntakeSettings) -> None:
    """`intake purge-expired`: destroy the identity of callers past VAULT_RETENTION_DAYS (their keys
    deleted), and forget sign-in sessions past SESSION_RETENTION_DAYS."""
    from intake.accounts.sessions import purge_sessions
    from intake.callers.retention import purge_expired as purge

    db = Database(settings.database_url)
    try:
        destroyed = await purge(db, settings.vault_retention_days)
        sessions = await purge_sessions(db, settings.session_retention_days)
    finally:
        await db.dispose()
    print(f"identity vault: {destroyed} caller profiles past {settings.vault_retention_days} days destroyed")
    print(f"sign-in sessions: {sessions} expired more than {settings.session_retention_days} days ago deleted")


def main() -> None:
    run_service_cli(
        "intake",
        IntakeSettings,
        "intake.app:build_runtime",
        MIGRATIONS,
        extra={"verify-audit": verify_audit, "purge-expired": purge_expired},
    )


if __name__ == "__main__":
    main()
