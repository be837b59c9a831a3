from hotline_common.cli import run_service_cli
from referrals.app import build_runtime
from referrals.database import MIGRATIONS_DIR
from referrals.settings import ReferralsSettings


def main() -> None:
    run_service_cli("referrals", ReferralsSettings, build_runtime, MIGRATIONS_DIR)


if __name__ == "__main__":
    main()
