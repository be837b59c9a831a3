"""What intake's handlers receive, as typed FastAPI dependencies: the runtime's parts, and the pages'
sign-in gates (no session: to the sign-in page and back; no permission: the refusal page)."""

from typing import Annotated

from fastapi import Depends

from hotline_common.auth import Permission, Principal, TokenIssuer
from hotline_common.crypto import FieldCipher
from hotline_common.i18n_markers import N_
from hotline_common.web.deps import permitted, typed_runtime
from hotline_common.web.pages import signed_in
from intake.accounts import clients
from intake.accounts.limits import LoginLimits
from intake.callers.vault import CallerVault
from intake.directory.client import ReferralsClient
from intake.runtime import IntakeRuntime
from intake.settings import IntakeSettings

Runtime = Annotated[IntakeRuntime, Depends(typed_runtime(IntakeRuntime))]


def settings(runtime: Runtime) -> IntakeSettings:
    return runtime.settings


def cipher(runtime: Runtime) -> FieldCipher:
    return runtime.cipher


def vault(runtime: Runtime) -> CallerVault:
    return runtime.vault


def referrals(runtime: Runtime) -> ReferralsClient:
    return runtime.referrals


def issuer(runtime: Runtime) -> TokenIssuer | None:
    return runtime.issuer


def service_issuer(runtime: Runtime) -> TokenIssuer | None:
    return runtime.service_issuer


def service_clients(runtime: Runtime) -> clients.ServiceClients:
    return runtime.service_clients


def login_limits(runtime: Runtime) -> LoginLimits:
    return runtime.login_limits


Settings = Annotated[IntakeSettings, Depends(settings)]
LoginLimiter = Annotated[LoginLimits, Depends(login_limits)]
Cipher = Annotated[FieldCipher, Depends(cipher)]
Vault = Annotated[CallerVault, Depends(vault)]
Referrals = Annotated[ReferralsClient, Depends(referrals)]
Issuer = Annotated[TokenIssuer | None, Depends(issuer)]
# The technical operator: on the API checked before a body is read (hotline_common.web.deps.permitted);
# on the pages by the page gate (sign in first, else the refusal page).
AccountsAdmin = Annotated[Principal, Depends(permitted(Permission.ACCOUNTS_MANAGE))]
AccountsAdminPage = Annotated[Principal, Depends(signed_in(Permission.ACCOUNTS_MANAGE))]
ServiceIssuer = Annotated[TokenIssuer | None, Depends(service_issuer)]
ServiceClients = Annotated[clients.ServiceClients, Depends(service_clients)]

# The pages' gates. Someone signed in without a hotline permission is told so, with links to the
# screens of the other services (install_pages' refused_links).
STAFF_ONLY = N_("This screen is for hotline staff")
CallTaker = Annotated[Principal, Depends(signed_in(Permission.CONTACT_RECORD, refusal=STAFF_ONLY))]
HotlineStaff = Annotated[Principal, Depends(signed_in(Permission.CONTACT_READ, refusal=STAFF_ONLY))]
Supervisor = Annotated[Principal, Depends(signed_in(Permission.HOTLINE_SUPERVISE))]
AuditReader = Annotated[Principal, Depends(signed_in(Permission.AUDIT_READ))]
