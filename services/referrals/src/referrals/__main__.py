import sys

from hotline_common.cli import run_service_cli
from referrals.app import build_runtime
from referrals.database import MIGRATIONS
from referrals.directory import cli as directory_cli
from referrals.partner.natsconfig import print_credentials, write_config
from referrals.settings import ReferralsSettings


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in directory_cli.COMMANDS:
        raise SystemExit(directory_cli.main(sys.argv[1:]))
    run_service_cli(
        "referrals",
        ReferralsSettings,
        build_runtime,
        MIGRATIONS,
        extra={"nats-config": write_config, "nats-credentials": print_credentials},
    )


if __name__ == "__main__":
    main()
