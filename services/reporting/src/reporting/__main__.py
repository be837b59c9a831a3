from hotline_common.cli import run_service_cli
from reporting.database import MIGRATIONS
from reporting.settings import ReportingSettings


def main() -> None:
    run_service_cli(
        "reporting",
        ReportingSettings,
        "reporting.app:build_runtime",
        MIGRATIONS,
        extra={"rebuild": "reporting.statistics.rebuild:rebuild_command"},
    )


if __name__ == "__main__":
    main()
