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
    # Uploads (each enforced while the body streams in, after the request is authorised; over it: 413).
    # The most one request with documents may carry (NAP evidence, a library file).
    document_upload_max_bytes: int = Field(default=25 * 1024 * 1024, ge=1024)
    # The NAP import: the file's size, what an XLSX may unpack to, and the rows (empty ones and the
    # header count: a sheet's own dimension is not trusted), columns and characters per cell it may have.
    nap_import_max_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    nap_import_max_unpacked_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    nap_import_max_rows: int = Field(default=2000, ge=2)
    nap_import_max_columns: int = Field(default=30, ge=6)
    nap_import_max_cell_chars: int = Field(default=10000, ge=5000)
