"""Field encryption for personal data (AES-GCM) and blind indexes (HMAC) to find a value without
decrypting rows. Keys come from a secret as `id:base64key[,id:base64key...]`; the first key
encrypts, all of them decrypt, so keys rotate without rewriting rows at once."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_VERSION = b"\x01"


class FieldCipher:
    def __init__(self, keyring: str):
        self._keys: dict[str, bytes] = {}
        for item in keyring.split(","):
            key_id, _, b64 = item.strip().partition(":")
            if not key_id or not b64:
                raise ValueError("keyring must be 'id:base64key[,id:base64key...]'")
            key = base64.b64decode(b64)
            if len(key) != 32:
                raise ValueError(f"key {key_id!r} must be 32 bytes")
            if len(key_id.encode()) > 255:
                raise ValueError("key id too long")
            self._keys[key_id] = key
        # The first key encrypts (split(",") yields at least one item, and a bad one raised above).
        self._current: str = next(iter(self._keys))

    @staticmethod
    def generate_keyring(key_id: str = "k1") -> str:
        return f"{key_id}:{base64.b64encode(os.urandom(32)).decode()}"

    def encrypt(self, plaintext: str, *, context: str) -> bytes:
        """`context` (table.column:row id) is bound as associated data: a ciphertext moved to
        another row or field fails to decrypt."""
        key_id = self._current.encode()
        nonce = os.urandom(12)
        sealed = AESGCM(self._keys[self._current]).encrypt(nonce, plaintext.encode(), context.encode())
        return _VERSION + bytes([len(key_id)]) + key_id + nonce + sealed

    def decrypt(self, blob: bytes, *, context: str) -> str:
        if not blob or blob[:1] != _VERSION:
            raise ValueError("unknown ciphertext format")
        id_len = blob[1]
        key_id = blob[2 : 2 + id_len].decode()
        nonce = blob[2 + id_len : 14 + id_len]
        sealed = blob[14 + id_len :]
        return AESGCM(self._keys[key_id]).decrypt(nonce, sealed, context.encode()).decode()


def blind_index(key: bytes, value: str) -> str:
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def normalise_phone(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())
