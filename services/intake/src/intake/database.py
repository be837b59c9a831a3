from sqlalchemy.orm import DeclarativeBase

# Alembic's "package:folder" location: found through the installed package, wherever it lies.
MIGRATIONS = "intake:migrations"


class Base(DeclarativeBase):
    pass


def import_models() -> None:
    from intake.accounts import models as _accounts  # noqa: F401
    from intake.audit import models as _audit  # noqa: F401
    from intake.callers import models as _callers  # noqa: F401
    from intake.contact import models as _contact  # noqa: F401
    from intake.draft import models as _draft  # noqa: F401
    from intake.identity import models as _identity  # noqa: F401
    from intake.screening import models as _screening  # noqa: F401
    from intake.scripts import models as _scripts  # noqa: F401
