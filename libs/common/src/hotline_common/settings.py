"""Configuration from environment variables only, with a clear message naming a wrong one."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, TypeVar

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from hotline_common.events.catalog import PRODUCERS


class ServiceSettings(BaseSettings):
    """What every service reads. Each service subclasses this with its own extra settings."""

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    http_host: str = "127.0.0.1"
    http_port: int = Field(ge=1, le=65535)
    grpc_host: str = "127.0.0.1"
    grpc_port: int = Field(ge=1, le=65535)
    # sqlite+aiosqlite:///path/file.db (embedded default) or postgresql+asyncpg://user:pw@host/db
    database_url: str
    migrate_on_start: bool = True
    nats_url: str = "nats://127.0.0.1:4222"
    nats_user: str | None = None
    nats_password: str | None = None
    # The password as a mounted secret file (the chart, `make run`); NATS_PASSWORD wins if both are set.
    nats_password_file: str | None = None
    # Prefix for subjects and stream names, so several deployments (or tests) share one NATS.
    events_namespace: str = Field(default="", pattern=r"^[a-z0-9_]*$")
    # Tokens: the issuer's public key (PEM file) or a JWKS URL of any OIDC issuer.
    auth_issuer: str = "hotline-embedded"
    auth_audience: str = "hotline"
    auth_public_key_file: str | None = None
    auth_jwks_url: str | None = None
    # The issuer's token endpoint the pages' sign-in form posts to (intake signs in itself).
    auth_token_url: str = ""
    # This service's own identity for calling other services (hotline_common.service_identity): an
    # OAuth 2 client id (default: the service's name) and secret, and the token endpoint of the
    # client-credentials grant (default: AUTH_TOKEN_URL). intake as the built-in issuer signs its own.
    service_client_id: str = ""
    service_client_secret_file: str | None = None
    service_token_url: str = ""
    # How long published outbox rows are kept, to answer replays after a broker loss.
    outbox_retention_hours: int = Field(default=168, ge=1)
    consumer_max_deliver: int = Field(default=5, ge=1)
    consumer_ack_wait_seconds: float = Field(default=30.0, gt=0)
    # Producers' gRPC targets for replaying events the broker lost: intake=host:port,referrals=...
    # A consumer of a producer not listed here runs without gap checks.
    event_sources: Annotated[dict[str, str], NoDecode] = Field(default_factory=dict)
    event_gap_check_seconds: float = Field(default=15.0, gt=0)
    # How long a missing seq may be in flight (an open transaction) before it counts as absent.
    event_gap_grace_seconds: float = Field(default=30.0, ge=0)
    timezone: str = "Asia/Baku"
    load_demo_data: bool = False
    # The service is served over https (ingress TLS): cookies Secure, its own origin https://host.
    cookie_secure: bool = False
    log_level: str = "INFO"

    @field_validator("event_sources", mode="before")
    @classmethod
    def _parse_event_sources(cls, value: object) -> object:
        return parse_event_sources(value) if isinstance(value, str) else value


def parse_event_sources(text: str) -> dict[str, str]:
    """`intake=host:port,referrals=host:port` -> {producer: target}."""
    sources: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        producer, _, target = item.partition("=")
        host, _, port = target.strip().rpartition(":")
        if producer.strip() not in PRODUCERS or not host or not port.isdigit():
            raise ValueError(
                f"expected producer=host:port[,...] with a producer of {', '.join(PRODUCERS)}; bad entry {item!r}"
            )
        sources[producer.strip()] = target.strip()
    return sources


S = TypeVar("S", bound=BaseSettings)


def describe_settings_error(exc: ValidationError) -> str:
    lines = ["Configuration error (set these environment variables):"]
    for err in exc.errors():
        name = "_".join(str(p) for p in err.get("loc", ())).upper() or "?"
        given = err.get("input")
        shown = "" if err.get("type") == "missing" or isinstance(given, dict) else f" (got {given!r})"
        lines.append(f"  {name}: {err.get('msg')}{shown}")
    return "\n".join(lines)


def nats_password(settings: ServiceSettings) -> str | None:
    if settings.nats_password or not settings.nats_password_file:
        return settings.nats_password
    return read_setting_file("NATS_PASSWORD_FILE", settings.nats_password_file).decode().strip()


def read_setting_file(variable: str, path: str) -> bytes:
    """The file a `*_FILE` variable names (a mounted secret), or exit naming the variable and the file."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise SystemExit(f"Configuration error: {variable}: cannot read {path} ({exc.strerror})") from None


def load_settings(cls: type[S]) -> S:
    """Read settings, or exit with one line per missing or wrong variable instead of a trace."""
    try:
        return cls()
    except ValidationError as exc:
        print(describe_settings_error(exc), file=sys.stderr)
        raise SystemExit(2) from None
