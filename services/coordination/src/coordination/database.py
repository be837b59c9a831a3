from sqlalchemy.orm import DeclarativeBase

# Alembic's "package:folder" location: found through the installed package, wherever it lies.
MIGRATIONS = "coordination:migrations"


class Base(DeclarativeBase):
    pass


def import_models() -> None:
    from coordination.decisions import models as _decisions  # noqa: F401
    from coordination.exchange import models as _exchange  # noqa: F401
    from coordination.meetings import models as _meetings  # noqa: F401
    from coordination.members import models as _members  # noqa: F401
    from coordination.nap import models as _nap  # noqa: F401
    from coordination.protocols import models as _protocols  # noqa: F401
