"""What the referral rules need from configuration, in one object the service functions take."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from hotline_common.crypto import FieldCipher
from hotline_common.errors import DependencyUnavailable
from referrals.settings import ReferralsSettings

DEFAULT_ACK_HOURS = {"emergency": 2.0, "urgent": 24.0, "routine": 72.0}


@dataclass(frozen=True)
class Policy:
    cipher: FieldCipher | None = None
    ack_due_hours: Callable[[str], float] = field(default=lambda urgency: DEFAULT_ACK_HOURS.get(urgency, 72.0))
    link_ttl: timedelta = timedelta(hours=72)

    @classmethod
    def from_settings(cls, settings: ReferralsSettings) -> Policy:
        cipher = FieldCipher(settings.encryption_keyring) if settings.encryption_keyring else None
        return cls(
            cipher=cipher, ack_due_hours=settings.ack_due_hours, link_ttl=timedelta(hours=settings.link_ttl_hours)
        )

    def require_cipher(self) -> FieldCipher:
        if self.cipher is None:
            # Personal data is never stored in clear: without a key the service refuses.
            raise DependencyUnavailable("referrals has no ENCRYPTION_KEYRING: it cannot store personal data or notes")
        return self.cipher
