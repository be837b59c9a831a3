from hotline_common.cli import run_service_cli
from intake.app import build_runtime
from intake.database import MIGRATIONS_DIR
from intake.settings import IntakeSettings


def main() -> None:
    run_service_cli("intake", IntakeSettings, build_runtime, MIGRATIONS_DIR)


if __name__ == "__main__":
    main()
