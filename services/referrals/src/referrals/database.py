from sqlalchemy.orm import DeclarativeBase

# Alembic's "package:folder" location: found through the installed package, wherever it lies.
MIGRATIONS = "referrals:migrations"


class Base(DeclarativeBase):
    pass


def import_models() -> None:
    """Import every domain's models so Base.metadata knows all tables."""
    from referrals.consent import models as _consent  # noqa: F401
    from referrals.directory import models as _directory  # noqa: F401
    from referrals.links import models as _links  # noqa: F401
    from referrals.referral import models as _referral  # noqa: F401
