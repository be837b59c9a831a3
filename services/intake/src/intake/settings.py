from pydantic import Field

from hotline_common.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    # AES-GCM keys for personal fields, "id:base64key[,id:base64key]"; the first one encrypts.
    encryption_keyring: str = Field(min_length=10)
    # The built-in issuer's Ed25519 private key (embedded default); unset when an external
    # identity provider issues tokens.
    auth_signing_key_file: str | None = None
    referrals_grpc_target: str
    # Key of the keyed hash that finds a returning caller by phone (base64, 32 bytes). Unset: derived
    # from the keyring's first key. Changing it makes every stored number unfindable.
    caller_index_key: str | None = None
    # A caller not heard from for this many days has their identity destroyed (their key deleted).
    vault_retention_days: int = Field(default=1825, ge=1, le=36500)
    # How often the service looks for identities past retention.
    vault_purge_interval_seconds: int = Field(default=3600, ge=10)
    # Public base URLs of the other services' screens, where sign-in sends partners (referrals' /portal),
    # coordinators and working-group members (coordination's /meetings) and analysts (reporting's /).
    # Empty: they stay on intake's page, which says it is for hotline staff.
    referrals_public_url: str = ""
    coordination_public_url: str = ""
    reporting_public_url: str = ""
