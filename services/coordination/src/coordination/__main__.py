from coordination.app import build_runtime
from coordination.database import MIGRATIONS_DIR
from coordination.settings import CoordinationSettings
from hotline_common.cli import run_service_cli


def main() -> None:
    run_service_cli("coordination", CoordinationSettings, build_runtime, MIGRATIONS_DIR)


if __name__ == "__main__":
    main()
