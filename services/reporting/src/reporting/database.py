from sqlalchemy.orm import DeclarativeBase

# Alembic's "package:folder" location: found through the installed package, wherever it lies.
MIGRATIONS = "reporting:migrations"


class Base(DeclarativeBase):
    pass


def import_models() -> None:
    from reporting.reports import models as _reports  # noqa: F401
    from reporting.statistics import models as _statistics  # noqa: F401
