from typing import Literal

from pydantic import Field

from hotline_common.settings import ServiceSettings


class ReferralsSettings(ServiceSettings):
    # AES-256-GCM keyring (`id:base64key[,...]`) for referrals' needs, the consented personal data and
    # partners' notes. Unset: referrals refuses to store or show them (it never keeps them in clear).
    encryption_keyring: str | None = None
    # Hours a receiving organisation has to acknowledge a referral, by urgency.
    ack_due_emergency_hours: float = Field(default=2.0, gt=0)
    ack_due_urgent_hours: float = Field(default=24.0, gt=0)
    ack_due_routine_hours: float = Field(default=72.0, gt=0)
    # How often the overdue check runs (escalation of unacknowledged referrals).
    overdue_check_seconds: float = Field(default=60.0, gt=0)
    # One-time links for specialists without an account: lifetime, and the public base URL they point at.
    link_ttl_hours: float = Field(default=72.0, gt=0)
    public_base_url: str = ""
    # Partner NATS users: secret their passwords are derived from (`referrals nats-credentials`),
    # and where `referrals nats-config` writes the nats-server include (empty: stdout).
    nats_partner_secret: str = ""
    nats_partner_config: str = ""
    # conf: the deployment's whole `authorization` include; json: the partners' user entries only
    # (what `make run` adds to its devstack nats-server).
    nats_partner_config_format: Literal["conf", "json"] = "conf"

    def ack_due_hours(self, urgency: str) -> float:
        return {"emergency": self.ack_due_emergency_hours, "urgent": self.ack_due_urgent_hours}.get(
            urgency, self.ack_due_routine_hours
        )
