from hotline_common.cli import run_service_cli
from reporting.app import build_runtime
from reporting.database import MIGRATIONS
from reporting.settings import ReportingSettings
from reporting.statistics.rebuild import rebuild_command


def main() -> None:
    run_service_cli("reporting", ReportingSettings, build_runtime, MIGRATIONS, extra={"rebuild": rebuild_command})


if __name__ == "__main__":
    main()
