"""Login limits of the built-in issuer (issue 12, item 6), on the `limits` library's moving windows.

Wrong passwords are counted per username and per client address. From the `free`-th failure on, each
answer waits longer (1 s, 2 s, 4 s ... up to `max_delay`); at `lock_after` failures of one account
within the window the account is locked for `lock_minutes` (recorded on the account, audited, shown to
the director, who can unlock it); at `address_limit` failures from one address that address is refused
until the window has room again. A right password clears the account's count, not the address's.

The client address is the peer's, or the `X-Forwarded-For` a trusted forwarder sends
(LOGIN_TRUSTED_FORWARDERS): the other services' sign-in forms post here from the server and pass on
the browser's address. The counts live in LOGIN_LIMITS_STORAGE (one process's memory by default;
a `limits` storage URI such as `async+redis://...` when intake runs as several replicas)."""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import ConfigurationError
from limits.storage import storage_from_string


@dataclass(frozen=True)
class LoginPolicy:
    window_minutes: int = 15
    free: int = 3
    max_delay: float = 8.0
    lock_after: int = 10
    lock_minutes: int = 15
    address_limit: int = 50


@dataclass(frozen=True)
class Failure:
    """What one more wrong password led to."""

    delay: float
    lock_account: bool


class LoginLimits:
    def __init__(self, policy: LoginPolicy | None = None, storage: str = "async+memory://"):
        self.policy = policy or LoginPolicy()
        if not storage.startswith("async+"):
            raise SystemExit("Configuration error: LOGIN_LIMITS_STORAGE must be an async `limits` storage (async+...)")
        try:
            backend = storage_from_string(storage)
        except ConfigurationError as exc:
            raise SystemExit(f"Configuration error: LOGIN_LIMITS_STORAGE: {exc}") from None
        self._limiter = MovingWindowRateLimiter(backend)
        minutes = self.policy.window_minutes
        self._account: RateLimitItem = RateLimitItemPerMinute(self.policy.lock_after, minutes)
        self._address: RateLimitItem = RateLimitItemPerMinute(self.policy.address_limit, minutes)

    async def address_allowed(self, address: str) -> bool:
        return await self._limiter.test(self._address, "address", address)

    async def failed(self, username: str, address: str) -> Failure:
        await self._limiter.hit(self._address, "address", address)
        await self._limiter.hit(self._account, "account", username)
        account = await self._failures(self._account, "account", username)
        address_count = await self._failures(self._address, "address", address)
        over = max(account, address_count) - self.policy.free
        delay = 0.0 if over <= 0 else min(2.0 ** (over - 1), self.policy.max_delay)
        return Failure(delay=delay, lock_account=account >= self.policy.lock_after)

    async def succeeded(self, username: str) -> None:
        await self._limiter.clear(self._account, "account", username)

    async def unlocked(self, username: str) -> None:
        await self._limiter.clear(self._account, "account", username)

    async def _failures(self, item: RateLimitItem, *identifiers: str) -> int:
        stats = await self._limiter.get_window_stats(item, *identifiers)
        return item.amount - stats.remaining

    @staticmethod
    async def wait(failure: Failure) -> None:
        # The growing delay itself: the attacker's next guess comes later.
        if failure.delay:
            await asyncio.sleep(failure.delay)


def client_address(peer: str | None, forwarded_for: str | None, trusted: Sequence[str]) -> str:
    """The browser's address: the peer's, unless the peer is a trusted forwarder naming another."""
    if forwarded_for and peer and _ip(peer) is not None and _trusted(peer, trusted):
        # The last entry: the one the trusted forwarder itself added.
        claimed = forwarded_for.split(",")[-1].strip()
        if _ip(claimed) is not None:
            return claimed
    return peer or "unknown"


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(peer: str, networks: Sequence[str]) -> bool:
    ip = _ip(peer)
    return ip is not None and any(ip in ipaddress.ip_network(net, strict=False) for net in networks)
