"""Field encryption with key rotation, and token checks."""

import time

import jwt
import pytest

from hotline_common.auth import Permission, Role, TokenIssuer, TokenVerifier, generate_signing_keypair, require
from hotline_common.crypto import FieldCipher, blind_index, normalise_phone
from hotline_common.errors import PermissionDenied, Unauthenticated


def test_ciphertext_is_bound_to_its_field_and_row():
    cipher = FieldCipher(FieldCipher.generate_keyring("k1"))
    blob = cipher.encrypt("Aysel, +994 50 111 22 33", context="vault.note:1")
    assert b"Aysel" not in blob
    assert cipher.decrypt(blob, context="vault.note:1") == "Aysel, +994 50 111 22 33"
    with pytest.raises(Exception):
        cipher.decrypt(blob, context="vault.note:2")
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(Exception):
        cipher.decrypt(tampered, context="vault.note:1")


def test_rotated_keyring_reads_old_rows_and_writes_with_the_new_key():
    old = FieldCipher.generate_keyring("k1")
    new = FieldCipher.generate_keyring("k2")
    before = FieldCipher(old).encrypt("secret", context="c")
    rotated = FieldCipher(f"{new},{old}")
    assert rotated.decrypt(before, context="c") == "secret"
    after = rotated.encrypt("secret", context="c")
    assert b"k2" in after[:5]
    with pytest.raises(KeyError):
        FieldCipher(old).decrypt(after, context="c")


@pytest.mark.parametrize("keyring", ["", "k1", "k1:c2hvcnQ="])
def test_bad_keyrings_are_refused(keyring):
    with pytest.raises(ValueError):
        FieldCipher(keyring)


def test_blind_index_finds_a_phone_however_it_was_typed():
    key = b"k" * 32
    assert blind_index(key, normalise_phone("+994 (50) 123-45-67")) == blind_index(key, normalise_phone("994501234567"))
    assert blind_index(key, "994501234567") != blind_index(b"x" * 32, "994501234567")


@pytest.fixture
def keys():
    return generate_signing_keypair()


async def test_tokens_verify_and_carry_the_role(keys):
    private, public = keys
    issuer = TokenIssuer(private, issuer="hotline-embedded", audience="hotline")
    verifier = TokenVerifier(issuer="hotline-embedded", audience="hotline", public_key_pem=public)
    token = issuer.issue(subject="u1", role=Role.PARTNER, name="Leyla", organisation_id="org-1")
    principal = await verifier.verify(token)
    assert (principal.subject, principal.role, principal.organisation_id) == ("u1", Role.PARTNER, "org-1")
    assert require(principal, Permission.REFERRAL_READ_OWN_ORG) is principal
    with pytest.raises(PermissionDenied):
        require(principal, Permission.CONTACT_READ)
    with pytest.raises(Unauthenticated):
        require(None, Permission.CONTACT_READ)


async def test_foreign_expired_and_mistargeted_tokens_are_refused(keys):
    private, public = keys
    verifier = TokenVerifier(issuer="hotline-embedded", audience="hotline", public_key_pem=public)
    other_private, _ = generate_signing_keypair()
    forged = TokenIssuer(other_private, issuer="hotline-embedded", audience="hotline").issue(
        subject="u", role=Role.DIRECTOR
    )
    wrong_audience = TokenIssuer(private, issuer="hotline-embedded", audience="elsewhere").issue(
        subject="u", role=Role.DIRECTOR
    )
    expired = TokenIssuer(private, issuer="hotline-embedded", audience="hotline", ttl_seconds=-10).issue(
        subject="u", role=Role.DIRECTOR
    )
    unknown_role = jwt.encode(
        {"sub": "u", "role": "superuser", "iss": "hotline-embedded", "aud": "hotline", "exp": int(time.time()) + 60},
        TokenIssuer(private, issuer="i", audience="a")._key,
        algorithm="EdDSA",
    )
    for token in (forged, wrong_audience, expired, unknown_role, "not-a-token"):
        with pytest.raises(Unauthenticated):
            await verifier.verify(token)


def test_a_verifier_needs_a_key_source():
    with pytest.raises(SystemExit):
        TokenVerifier(issuer="i", audience="a")
