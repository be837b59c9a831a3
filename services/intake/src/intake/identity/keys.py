"""A caller's data key: AES-256, their own, kept only wrapped by the service keyring. What is sealed
under it (AES-GCM, bound to its table, field and row) is gone for good once the key row is deleted,
backups included: the caller's identity, and the free text of the calls linked to them."""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.crypto import FieldCipher
from intake.identity.models import CallerKey

_VERSION = b"\x01"


def _wrap_context(caller_id: str) -> str:
    return f"caller_keys.wrapped_key:{caller_id}"


def wrap_data_key(cipher: FieldCipher, caller_id: str, data_key: bytes) -> bytes:
    return cipher.encrypt(base64.b64encode(data_key).decode(), context=_wrap_context(caller_id))


def unwrap_data_key(cipher: FieldCipher, caller_id: str, wrapped: bytes) -> bytes:
    """A caller's data key, unwrapped with the service keyring (the key wraps only the data key)."""
    return base64.b64decode(cipher.decrypt(wrapped, context=_wrap_context(caller_id)))


async def caller_key(session: AsyncSession, cipher: FieldCipher, caller_id: str) -> bytes | None:
    """None once retention destroyed the caller's key."""
    row = await session.get(CallerKey, caller_id)
    return unwrap_data_key(cipher, caller_id, row.wrapped_key) if row is not None else None


def seal(data_key: bytes, plaintext: str, *, context: str) -> bytes:
    nonce = os.urandom(12)
    return _VERSION + nonce + AESGCM(data_key).encrypt(nonce, plaintext.encode(), context.encode())


def open_sealed(data_key: bytes, blob: bytes, *, context: str) -> str:
    if blob[:1] != _VERSION:
        raise ValueError("unknown ciphertext format")
    return AESGCM(data_key).decrypt(blob[1:13], blob[13:], context.encode()).decode()
