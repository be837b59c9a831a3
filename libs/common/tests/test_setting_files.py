"""A `*_FILE` setting (a mounted secret) that can't be read or holds no key stops the service with
one line naming the variable, not a trace."""

import pytest

from hotline_common.auth import TokenIssuer, TokenVerifier, generate_signing_keypair
from hotline_common.settings import read_setting_file


def test_a_missing_file_names_the_variable_and_the_path(tmp_path):
    with pytest.raises(SystemExit) as stop:
        read_setting_file("AUTH_PUBLIC_KEY_FILE", str(tmp_path / "absent.pem"))
    assert (
        str(stop.value)
        == f"Configuration error: AUTH_PUBLIC_KEY_FILE: cannot read {tmp_path / 'absent.pem'} (No such file or directory)"
    )


def test_a_file_that_holds_no_key_is_named(tmp_path):
    with pytest.raises(SystemExit, match=r"^Configuration error: AUTH_PUBLIC_KEY_FILE does not hold a PEM public key$"):
        TokenVerifier(issuer="i", audience="a", public_key_pem=b"not a key")
    with pytest.raises(SystemExit, match=r"^Configuration error: AUTH_SIGNING_KEY_FILE does not hold"):
        TokenIssuer(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", issuer="i", audience="a")
    # The public half where the private key belongs.
    _, public = generate_signing_keypair()
    with pytest.raises(SystemExit, match="AUTH_SIGNING_KEY_FILE"):
        TokenIssuer(public, issuer="i", audience="a")
