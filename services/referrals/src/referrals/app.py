"""Wires the referrals service: routes, gRPC servicer, demo data."""
from hotline_common.runtime import ServiceRuntime
from referrals.database import MIGRATIONS_DIR, import_models
from referrals.directory import views as directory_views
from referrals.directory.demo import load_demo_directory
from referrals.grpc_api import registration
from referrals.referral import views as referral_views
from referrals.settings import ReferralsSettings

import_models()


def build_runtime(settings: ReferralsSettings) -> ServiceRuntime:
    runtime = ServiceRuntime("referrals", settings, MIGRATIONS_DIR, title="Hotline referrals")
    runtime.app.include_router(directory_views.router(runtime))
    runtime.app.include_router(referral_views.router(runtime))
    runtime.grpc_registrations.append(registration(runtime))

    if settings.load_demo_data:
        async def demo() -> None:
            async with runtime.db.transaction() as session:
                await load_demo_directory(session)

        runtime.startup_hooks.append(demo)
    return runtime
