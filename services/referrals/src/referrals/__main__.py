import sys

from hotline_common.cli import run_service_cli
from referrals.database import MIGRATIONS
from referrals.directory import cli as directory_cli
from referrals.settings import ReferralsSettings


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in directory_cli.COMMANDS:
        raise SystemExit(directory_cli.main(sys.argv[1:]))
    run_service_cli(
        "referrals",
        ReferralsSettings,
        "referrals.app:build_runtime",
        MIGRATIONS,
        extra={
            "nats-config": "referrals.partner.natsconfig:write_config",
            "nats-credentials": "referrals.partner.natsconfig:print_credentials",
        },
    )


if __name__ == "__main__":
    main()
