import ipaddress
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from hotline_common.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    # AES-GCM keys for personal fields, "id:base64key[,id:base64key]"; the first one encrypts.
    encryption_keyring: str = Field(min_length=10)
    # The built-in issuer's Ed25519 private key (embedded default); unset when an external
    # identity provider issues tokens.
    auth_signing_key_file: str | None = None
    referrals_grpc_target: str
    # The built-in issuer's service clients, `client_id:sha256:<hex>` a line (accounts.clients).
    service_clients_file: str | None = None
    # Login limits (accounts.limits): where the counts live (a `limits` async storage URI; memory is one
    # process's), the forwarders whose X-Forwarded-For names the browser (CIDRs, comma-separated: the
    # other services' addresses when they may post their sign-in forms here), and the lockout.
    login_limits_storage: str = "async+memory://"
    login_trusted_forwarders: Annotated[list[str], NoDecode] = Field(default_factory=list)
    login_lock_after: int = Field(default=10, ge=2, le=1000)
    login_lock_minutes: int = Field(default=15, ge=1, le=24 * 60)
    login_address_limit: int = Field(default=50, ge=2, le=100_000)
    login_max_delay_seconds: float = Field(default=8.0, ge=0, le=60)
    # Key of the keyed hash that finds a returning caller by phone (base64, 32 bytes). Unset: derived
    # from the keyring's first key. Changing it makes every stored number unfindable.
    caller_index_key: str | None = None
    # A caller not heard from for this many days has their identity destroyed (their key deleted).
    vault_retention_days: int = Field(default=1825, ge=1, le=36500)
    # How often the service looks for identities past retention (and sign-in sessions past theirs).
    vault_purge_interval_seconds: int = Field(default=3600, ge=10)
    # Sign-in sessions are kept this many days after their token expired, then deleted.
    session_retention_days: int = Field(default=90, ge=1, le=3650)
    # Public base URLs of the other services' screens, where sign-in sends partners (referrals' /portal),
    # coordinators and working-group members (coordination's /meetings) and analysts (reporting's /).
    # Empty: they stay on intake's page, which says it is for hotline staff.
    referrals_public_url: str = ""
    coordination_public_url: str = ""
    reporting_public_url: str = ""

    @field_validator("login_trusted_forwarders", mode="before")
    @classmethod
    def _parse_networks(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        networks = [part.strip() for part in value.split(",") if part.strip()]
        for network in networks:
            ipaddress.ip_network(network, strict=False)  # ValueError names the bad one
        return networks
