"""Envelope encryption for a caller's identity: each caller has their own AES-256 data key, kept
only wrapped by the service keyring. Fields are sealed with AES-GCM under that key, bound to their
table, field and row, so deleting the one key row destroys every copy of the identity, backups
included (the key itself: intake.identity.keys). Phones are found again by a keyed hash of the
normalised number (a blind index). The vault opens a caller's identity for who holds it: the
journal, and a referral the caller consented to share it with."""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.crypto import FieldCipher, blind_index, normalise_phone
from hotline_common.errors import InvalidInput
from intake.callers.models import CallerField, CallerPhone
from intake.callers.schemas import CallerIdentity
from intake.identity import keys
from intake.identity.keys import unwrap_data_key as unwrap_data_key
from intake.identity.models import CallerKey

# Local numbers dialled with the trunk prefix 0 are Azerbaijani: 050 123 45 67 == +994 50 123 45 67.
HOME_COUNTRY_CODE = "994"
LOCAL_LENGTH = 10


class IdentityDestroyed(Exception):
    """The caller's key was deleted by retention: their identity no longer exists anywhere."""


def index_key_from_keyring(keyring: str) -> bytes:
    """The phone index key, derived from the keyring's first key when none is configured: a
    different key from the one that encrypts, so the hashes reveal nothing about ciphertexts."""
    _, _, b64 = keyring.split(",")[0].strip().partition(":")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"hotline intake caller phone index").derive(
        base64.b64decode(b64)
    )


def canonical_phone(phone: str) -> str:
    digits = normalise_phone(phone)
    if digits.startswith("00"):
        digits = digits[2:]
    elif digits.startswith("0") and len(digits) == LOCAL_LENGTH:
        digits = HOME_COUNTRY_CODE + digits[1:]
    if not 7 <= len(digits) <= 15:
        raise InvalidInput.single("phone", "a phone number has 7 to 15 digits (e.g. +994 50 123 45 67)")
    return digits


def encode_field(field: str, value: Any) -> str:
    return json.dumps(value) if field == "callback_ways" else value


def decode_field(field: str, value: str) -> Any:
    return json.loads(value) if field == "callback_ways" else value


class CallerVault:
    def __init__(self, cipher: FieldCipher, index_key: bytes):
        if len(index_key) < 32:
            raise ValueError("the phone index key must be at least 32 bytes")
        self.cipher = cipher
        self._index_key = index_key

    def phone_index(self, phone: str) -> str:
        return blind_index(self._index_key, canonical_phone(phone))

    @staticmethod
    def new_data_key() -> bytes:
        return AESGCM.generate_key(bit_length=256)

    def wrap(self, caller_id: str, data_key: bytes) -> bytes:
        return keys.wrap_data_key(self.cipher, caller_id, data_key)

    def unwrap(self, caller_id: str, wrapped: bytes | None) -> bytes:
        if wrapped is None:
            raise IdentityDestroyed(caller_id)
        return unwrap_data_key(self.cipher, caller_id, wrapped)

    @staticmethod
    def seal(data_key: bytes, plaintext: str, *, context: str) -> bytes:
        return keys.seal(data_key, plaintext, context=context)

    @staticmethod
    def open(data_key: bytes, blob: bytes, *, context: str) -> str:
        return keys.open_sealed(data_key, blob, context=context)

    async def data_key(self, session: AsyncSession, caller_id: str) -> bytes:
        """The caller's data key; IdentityDestroyed once retention deleted it."""
        row = await session.get(CallerKey, caller_id)
        return self.unwrap(caller_id, row.wrapped_key if row else None)

    async def read_identity(self, session: AsyncSession, caller_id: str) -> CallerIdentity | None:
        """Decrypt one caller's identity; None once retention destroyed the key."""
        try:
            key = await self.data_key(session, caller_id)
        except IdentityDestroyed:
            return None
        values = {}
        for row in (await session.scalars(select(CallerField).where(CallerField.caller_id == caller_id))).all():
            values[row.field] = decode_field(
                row.field, self.open(key, row.ciphertext, context=field_context(caller_id, row.field))
            )
        phones = (
            await session.scalars(
                select(CallerPhone)
                .where(CallerPhone.caller_id == caller_id)
                .order_by(CallerPhone.added_at, CallerPhone.id)
            )
        ).all()
        values["phones"] = [self.open(key, p.ciphertext, context=phone_context(p.id)) for p in phones]
        return CallerIdentity(**values)


def field_context(caller_id: str, field: str) -> str:
    return f"vault_caller_fields.{field}:{caller_id}"


def phone_context(phone_id: str) -> str:
    return f"vault_caller_phones.ciphertext:{phone_id}"
