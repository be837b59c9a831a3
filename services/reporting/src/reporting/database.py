from pathlib import Path

from sqlalchemy.orm import DeclarativeBase

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


class Base(DeclarativeBase):
    pass


def import_models() -> None:
    from reporting.reports import models as _reports  # noqa: F401
    from reporting.statistics import models as _statistics  # noqa: F401
