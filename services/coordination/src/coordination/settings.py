from pydantic import Field

from hotline_common.settings import ServiceSettings


class CoordinationSettings(ServiceSettings):
    reporting_grpc_target: str
    # AES keys sealing the heads' Ed25519 signing keys at rest: `id:base64key[,id:base64key...]`
    # (the first seals, all unseal). Unset: protocols cannot be signed (verification still works).
    signing_keyring: str | None = None
    # Warn the head and the Coordinator when a quarter has no meeting this many weeks before its end.
    quarter_warning_weeks: int = Field(default=4, ge=1, le=13)
    # How often the service checks the quarter rule (and sends its one warning per quarter).
    quarter_check_seconds: float = Field(default=3600.0, gt=0)
