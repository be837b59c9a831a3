from hotline_common.cli import run_service_cli
from reporting.app import build_runtime
from reporting.database import MIGRATIONS_DIR
from reporting.settings import ReportingSettings


def main() -> None:
    run_service_cli("reporting", ReportingSettings, build_runtime, MIGRATIONS_DIR)


if __name__ == "__main__":
    main()
