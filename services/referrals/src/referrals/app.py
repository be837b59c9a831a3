"""Wires the referrals service: its runtime, the REST and page routers, the gRPC servicers."""

from fastapi.staticfiles import StaticFiles

from hotline_common.resources import package_dir
from hotline_common.web.pages import SignInPages
from referrals import grpc_api
from referrals.database import import_models
from referrals.directory import pages as directory_pages
from referrals.directory import views as directory_views
from referrals.directory.service import may_keep_directory
from referrals.links import pages as link_pages
from referrals.partner import rpc as partner_rpc
from referrals.partner import views as partner_views
from referrals.portal import pages as portal_pages
from referrals.referral import views as referral_views
from referrals.referral.service import may_use_partner_interface
from referrals.runtime import ReferralsRuntime
from referrals.settings import ReferralsSettings

import_models()


def build_runtime(settings: ReferralsSettings) -> ReferralsRuntime:
    runtime = ReferralsRuntime(settings)
    app = runtime.app
    app.include_router(directory_views.router)
    app.include_router(referral_views.router)
    app.include_router(partner_views.router)

    app.mount(
        "/portal/static", StaticFiles(directory=package_dir("referrals", "portal", "static")), name="portal-static"
    )
    app.mount(
        "/directory/static",
        StaticFiles(directory=package_dir("referrals", "directory", "static")),
        name="directory-static",
    )
    portal_sign_in = SignInPages(
        runtime.sign_in,
        prefix="/portal",
        home=lambda _principal: "/portal",
        admit=lambda principal: None if may_use_partner_interface(principal) else portal_pages.PORTAL_IS_FOR_PARTNERS,
        base="portal_base.html",
    )
    directory_sign_in = SignInPages(
        runtime.sign_in,
        prefix="/directory",
        home=lambda principal: "/directory" if may_keep_directory(principal) else "/directory/places",
        base="directory_base.html",
    )
    app.include_router(portal_sign_in.router())
    app.include_router(directory_sign_in.router())
    app.include_router(portal_pages.router)
    app.include_router(link_pages.router)
    app.include_router(directory_pages.router)

    runtime.grpc_registrations.append(grpc_api.registration(runtime))
    runtime.grpc_registrations.append(partner_rpc.registration(runtime))
    return runtime
