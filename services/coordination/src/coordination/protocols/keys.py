"""The heads' Ed25519 signing keys, held by the service: one active key per head, made on first
need; the private half is sealed at rest with the service's SIGNING_KEYRING (AES-GCM, bound to
the key's id). Rotation retires the active key (its private half is erased, its public half kept)
so every protocol signed with it still verifies."""

import base64

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coordination.protocols.models import SigningKey
from hotline_common.crypto import FieldCipher
from hotline_common.db import new_id, utcnow
from hotline_common.errors import Conflict
from hotline_common.i18n_markers import N_


class KeyVault:
    """Seals and unseals private keys with the service's secret (None: signing is switched off)."""

    def __init__(self, keyring: str | None):
        self._cipher = FieldCipher(keyring) if keyring else None

    @property
    def ready(self) -> bool:
        return self._cipher is not None

    def _need(self) -> FieldCipher:
        if self._cipher is None:
            raise Conflict(N_("protocol signing is not configured: set SIGNING_KEYRING (id:base64 32-byte key)"))
        return self._cipher

    def seal(self, key_id: str, private: Ed25519PrivateKey) -> bytes:
        raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return self._need().encrypt(base64.b64encode(raw).decode(), context=f"wg_signing_keys:{key_id}")

    def unseal(self, key: SigningKey) -> Ed25519PrivateKey:
        assert key.private_key_sealed is not None  # only a retired key has none, and none is unsealed
        raw = base64.b64decode(self._need().decrypt(key.private_key_sealed, context=f"wg_signing_keys:{key.id}"))
        return Ed25519PrivateKey.from_private_bytes(raw)


def public_key(key: SigningKey) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(key.public_key)


async def active_key(session: AsyncSession, subject: str) -> SigningKey | None:
    key: SigningKey | None = await session.scalar(
        select(SigningKey).where(SigningKey.subject == subject, SigningKey.retired_at.is_(None))
    )
    return key


async def _new_key(session: AsyncSession, vault: KeyVault, subject: str) -> SigningKey:
    private = Ed25519PrivateKey.generate()
    key_id = new_id()
    key = SigningKey(
        id=key_id,
        subject=subject,
        private_key_sealed=vault.seal(key_id, private),
        public_key=private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
        created_at=utcnow(),
    )
    session.add(key)
    await session.flush()
    return key


async def key_for_signing(session: AsyncSession, vault: KeyVault, subject: str) -> SigningKey:
    return await active_key(session, subject) or await _new_key(session, vault, subject)


async def rotate(session: AsyncSession, vault: KeyVault, subject: str) -> SigningKey:
    vault._need()
    current = await active_key(session, subject)
    if current is not None:
        current.retired_at, current.private_key_sealed = utcnow(), None
        await session.flush()
    return await _new_key(session, vault, subject)
