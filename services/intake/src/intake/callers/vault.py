"""Envelope encryption for a caller's identity: each caller has their own AES-256 data key, kept
only wrapped by the service keyring. Fields are sealed with AES-GCM under that key, bound to their
table, field and row, so deleting the one key row destroys every copy of the identity, backups
included. Phones are found again by a keyed hash of the normalised number (a blind index)."""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from hotline_common.crypto import FieldCipher, blind_index, normalise_phone
from hotline_common.errors import InvalidInput

_VERSION = b"\x01"
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


def unwrap_data_key(cipher: FieldCipher, caller_id: str, wrapped: bytes) -> bytes:
    """A caller's data key, unwrapped with the service keyring (the key wraps only the data key)."""
    return base64.b64decode(cipher.decrypt(wrapped, context=f"caller_keys.wrapped_key:{caller_id}"))


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
        return self.cipher.encrypt(base64.b64encode(data_key).decode(), context=f"caller_keys.wrapped_key:{caller_id}")

    def unwrap(self, caller_id: str, wrapped: bytes | None) -> bytes:
        if wrapped is None:
            raise IdentityDestroyed(caller_id)
        return unwrap_data_key(self.cipher, caller_id, wrapped)

    @staticmethod
    def seal(data_key: bytes, plaintext: str, *, context: str) -> bytes:
        nonce = os.urandom(12)
        return _VERSION + nonce + AESGCM(data_key).encrypt(nonce, plaintext.encode(), context.encode())

    @staticmethod
    def open(data_key: bytes, blob: bytes, *, context: str) -> str:
        if blob[:1] != _VERSION:
            raise ValueError("unknown ciphertext format")
        return AESGCM(data_key).decrypt(blob[1:13], blob[13:], context.encode()).decode()


def field_context(caller_id: str, field: str) -> str:
    return f"vault_caller_fields.{field}:{caller_id}"


def phone_context(phone_id: str) -> str:
    return f"vault_caller_phones.ciphertext:{phone_id}"
