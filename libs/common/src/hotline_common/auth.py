"""Signed tokens and roles. Every service verifies tokens itself; permissions are checked in each
service's service.py with `require`, so a rule holds on HTTP, gRPC and pages alike.

Tokens are OIDC-style JWTs: `sub`, `role`, `org` (a partner's organisation), `name`, `iss`,
`aud`, `exp`, `iat`, and `sid` (the built-in issuer's session, which sign-out and revocation end:
hotline_common.revocation). The embedded default signs them with Ed25519 (intake's built-in issuer); in
production any OIDC issuer's JWKS URL can be configured instead.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NoReturn, overload

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from hotline_common.errors import PermissionDenied, Unauthenticated
from hotline_common.settings import read_setting_file

if TYPE_CHECKING:
    from hotline_common.revocation import RevocationCheck
    from hotline_common.settings import ServiceSettings

SESSION_COOKIE = "hotline_session"


class Role(StrEnum):
    OPERATOR = "operator"
    DIRECTOR = "director"
    PARTNER = "partner"
    COORDINATOR = "coordinator"
    WG_MEMBER = "wg_member"
    ANALYST = "analyst"
    ADMIN = "admin"
    # Another service of the system calling as itself (hotline_common.service_identity), never a person.
    SERVICE = "service"


class Permission(StrEnum):
    CONTACT_RECORD = "contact:record"
    CONTACT_READ = "contact:read"
    AUDIT_READ = "audit:read"
    DIRECTORY_READ = "directory:read"
    DIRECTORY_MANAGE = "directory:manage"
    REFERRAL_CREATE = "referral:create"
    REFERRAL_READ_ALL = "referral:read_all"
    REFERRAL_READ_OWN_ORG = "referral:read_own_org"
    WG_READ = "wg:read"
    WG_MANAGE = "wg:manage"
    MEETING_SCHEDULE = "meeting:schedule"
    # The Working Group's rules (DOMAIN.md §2): proposals of members, their approval by the
    # National Coordinator, agreeing a meeting, keeping its record, and voting.
    WG_MEMBER_PROPOSE = "wg:member_propose"
    WG_MEMBER_APPROVE = "wg:member_approve"
    MEETING_AGREE = "meeting:agree"
    MEETING_RECORD = "meeting:record"
    WG_VOTE = "wg:vote"
    STATS_READ = "stats:read"
    # Figures below the suppression threshold (the director's own hotline's figures).
    STATS_UNSUPPRESSED = "stats:unsuppressed"
    # The director's supervision: the live board, high-risk alerts, staff accounts, correcting any
    # operator's sheet.
    HOTLINE_SUPERVISE = "hotline:supervise"
    SCRIPTS_EDIT = "scripts:edit"
    # The technical operator's accounts of the built-in issuer (intake.admin): every account's status and
    # sessions; creating and resetting only accounts that read no case data.
    ACCOUNTS_MANAGE = "accounts:manage"
    # Service-to-service gRPC methods (event replay, a referral with consented values from intake).
    SERVICE_CALLS = "service:calls"


_OPERATOR = {
    Permission.CONTACT_RECORD,
    Permission.CONTACT_READ,
    Permission.DIRECTORY_READ,
    Permission.REFERRAL_CREATE,
    Permission.REFERRAL_READ_ALL,
}

# From PRODUCT.md's table of roles. Nobody outside the hotline reads a caller's record.
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OPERATOR: frozenset(_OPERATOR),
    # Issue 4: the directory of services is edited by the director and the admin.
    Role.DIRECTOR: frozenset(
        _OPERATOR
        | {
            Permission.AUDIT_READ,
            Permission.STATS_READ,
            Permission.STATS_UNSUPPRESSED,
            Permission.DIRECTORY_MANAGE,
            Permission.HOTLINE_SUPERVISE,
            Permission.SCRIPTS_EDIT,
        }
    ),
    Role.PARTNER: frozenset({Permission.REFERRAL_READ_OWN_ORG, Permission.DIRECTORY_READ}),
    Role.COORDINATOR: frozenset(
        {
            Permission.WG_READ,
            Permission.WG_MANAGE,
            Permission.MEETING_SCHEDULE,
            Permission.STATS_READ,
            Permission.WG_MEMBER_PROPOSE,
            Permission.WG_MEMBER_APPROVE,
            Permission.MEETING_AGREE,
            Permission.MEETING_RECORD,
            Permission.WG_VOTE,
        }
    ),
    # A member votes only as themselves (their member row's `subject` is their token's `sub`).
    Role.WG_MEMBER: frozenset({Permission.WG_READ, Permission.STATS_READ, Permission.WG_VOTE}),
    Role.ANALYST: frozenset({Permission.STATS_READ}),
    Role.ADMIN: frozenset({Permission.DIRECTORY_READ, Permission.DIRECTORY_MANAGE, Permission.ACCOUNTS_MANAGE}),
    # Nothing a person may do: a service acting for a user sends the user's token too.
    Role.SERVICE: frozenset({Permission.SERVICE_CALLS}),
}


@dataclass(frozen=True)
class Principal:
    subject: str
    role: Role
    name: str = ""
    organisation_id: str | None = None
    token: str = ""  # forwarded on calls made on this principal's behalf
    session_id: str | None = None  # the token's `sid`: what signing out ends

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS.get(self.role, frozenset())


def not_permitted(principal: Principal, permission: Permission) -> PermissionDenied:
    """The refusal, as a template with parameters a page can say in its reader's language."""
    return PermissionDenied("role {role} may not {permission}", role=principal.role, permission=permission)


@overload
def require(principal: None, permission: Permission) -> NoReturn: ...
@overload
def require(principal: Principal | None, permission: Permission) -> Principal: ...
def require(principal: Principal | None, permission: Permission) -> Principal:
    if principal is None:
        raise Unauthenticated("sign in first")
    if not principal.can(permission):
        raise not_permitted(principal, permission)
    return principal


# The public keys of the algorithms tokens may use: EdDSA, RS256, ES256.
VerifyingKey = Ed25519PublicKey | Ed448PublicKey | RSAPublicKey | EllipticCurvePublicKey


class TokenVerifier:
    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        public_key_pem: bytes | None = None,
        jwks_url: str | None = None,
        revocation: RevocationCheck | None = None,
    ):
        if not public_key_pem and not jwks_url:
            raise SystemExit("Configuration error: set AUTH_PUBLIC_KEY_FILE or AUTH_JWKS_URL")
        self.issuer = issuer
        self.audience = audience
        self._key: VerifyingKey | None = None
        if public_key_pem:
            try:
                key = serialization.load_pem_public_key(public_key_pem)
            except ValueError:
                raise SystemExit("Configuration error: AUTH_PUBLIC_KEY_FILE does not hold a PEM public key") from None
            if not isinstance(key, VerifyingKey):
                raise SystemExit("Configuration error: AUTH_PUBLIC_KEY_FILE must hold an Ed25519, RSA or EC public key")
            self._key = key
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True) if jwks_url else None
        # Asked about every valid user token: the one place a revoked token is refused.
        self.revocation = revocation

    @classmethod
    def from_settings(cls, settings: ServiceSettings, revocation: RevocationCheck | None = None) -> TokenVerifier:
        path = settings.auth_public_key_file
        pem = read_setting_file("AUTH_PUBLIC_KEY_FILE", path) if path else None
        return cls(
            issuer=settings.auth_issuer,
            audience=settings.auth_audience,
            public_key_pem=pem,
            jwks_url=settings.auth_jwks_url,
            revocation=revocation,
        )

    async def verify(self, token: str) -> Principal:
        try:
            key: VerifyingKey
            if self._key is not None:
                key = self._key
            elif self._jwks is not None:
                key = (await asyncio.to_thread(self._jwks.get_signing_key_from_jwt, token)).key
            else:  # __init__ refuses to start without one of them
                raise RuntimeError("no public key and no JWKS URL")
            claims = jwt.decode(
                token,
                key,
                algorithms=["EdDSA", "RS256", "ES256"],
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "sub", "role"]},
            )
            role = Role(claims["role"])
        except (jwt.PyJWTError, ValueError, KeyError) as exc:
            raise Unauthenticated(f"invalid token: {type(exc).__name__}") from None
        # A service's own token is not a person's session: nothing revokes it.
        if self.revocation is not None and role != Role.SERVICE:
            await self.revocation.check(claims)
        session_id = claims.get("sid")
        return Principal(
            subject=claims["sub"],
            role=role,
            name=claims.get("name", ""),
            organisation_id=claims.get("org"),
            token=token,
            session_id=session_id if isinstance(session_id, str) else None,
        )


class TokenIssuer:
    """The embedded default's issuer. Production uses an existing identity provider instead."""

    def __init__(self, private_key_pem: bytes, *, issuer: str, audience: str, ttl_seconds: int = 12 * 3600):
        try:
            key = serialization.load_pem_private_key(private_key_pem, password=None)
        except (ValueError, TypeError):
            raise SystemExit(
                "Configuration error: AUTH_SIGNING_KEY_FILE does not hold an unencrypted PEM private key"
            ) from None
        if not isinstance(key, Ed25519PrivateKey):
            raise SystemExit("Configuration error: the embedded issuer signs with an Ed25519 private key")
        self._key = key
        self.issuer = issuer
        self.audience = audience
        self.ttl_seconds = ttl_seconds

    def issue(
        self,
        *,
        subject: str,
        role: Role,
        name: str = "",
        organisation_id: str | None = None,
        session_id: str | None = None,
        issued_at: int | None = None,
    ) -> str:
        now = int(time.time()) if issued_at is None else issued_at
        claims: dict[str, str | int] = {
            "sub": subject,
            "role": str(role),
            "name": name,
            "iss": self.issuer,
            "aud": self.audience,
            "iat": now,
            "exp": now + self.ttl_seconds,
        }
        if organisation_id:
            claims["org"] = organisation_id
        if session_id:
            claims["sid"] = session_id
        return jwt.encode(claims, self._key, algorithm="EdDSA", headers={"kid": "embedded-1"})

    def jwks(self) -> dict[str, list[dict[str, Any]]]:
        jwk = jwt.algorithms.OKPAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
        jwk.update({"kid": "embedded-1", "use": "sig", "alg": "EdDSA"})
        return {"keys": [jwk]}


def generate_signing_keypair() -> tuple[bytes, bytes]:
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, public


def token_from_header(value: str | None) -> str | None:
    if value and value.lower().startswith("bearer "):
        return value[7:].strip() or None
    return None
