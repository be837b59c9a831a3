from pydantic import Field

from hotline_common.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    # AES-GCM keys for personal fields, "id:base64key[,id:base64key]"; the first one encrypts.
    encryption_keyring: str = Field(min_length=10)
    # The built-in issuer's Ed25519 private key (embedded default); unset when an external
    # identity provider issues tokens.
    auth_signing_key_file: str | None = None
    referrals_grpc_target: str
