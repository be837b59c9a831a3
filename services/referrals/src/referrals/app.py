"""Wires the referrals service: routes, gRPC servicer, demo data."""

from hotline_common.runtime import ServiceRuntime
from referrals.database import MIGRATIONS, import_models
from referrals.directory import pages as directory_pages
from referrals.directory import views as directory_views
from referrals.directory.demo import load_demo_directory
from referrals.grpc_api import registration
from referrals.partner import rpc as partner_rpc
from referrals.partner import views as partner_views
from referrals.portal import pages as portal_pages
from referrals.referral import views as referral_views
from referrals.referral.deadlines import DeadlineCheck
from referrals.referral.policy import Policy
from referrals.settings import ReferralsSettings

import_models()


def build_runtime(settings: ReferralsSettings) -> ServiceRuntime:
    runtime = ServiceRuntime("referrals", settings, MIGRATIONS, title="Hotline referrals")
    # Deadlines, link lifetime and the keyring for consented data and notes, for every interface.
    runtime.referral_policy = Policy.from_settings(settings)
    runtime.app.include_router(directory_views.router(runtime))
    runtime.app.include_router(referral_views.router(runtime))
    runtime.app.include_router(partner_views.router(runtime))
    portal_pages.mount(runtime)
    directory_pages.mount(runtime)
    runtime.grpc_registrations.append(registration(runtime))
    runtime.grpc_registrations.append(partner_rpc.registration(runtime))
    deadlines = DeadlineCheck(runtime.db, settings.overdue_check_seconds)
    runtime.startup_hooks.append(deadlines.start)
    runtime.shutdown_hooks.append(deadlines.stop)

    if settings.load_demo_data:

        async def demo() -> None:
            async with runtime.db.transaction() as session:
                await load_demo_directory(session)

        runtime.startup_hooks.append(demo)
    return runtime
