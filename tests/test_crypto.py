"""AES-GCM at rest: what it protects, and that the key id travels with the ciphertext."""

import pytest
from cryptography.exceptions import InvalidTag

from patronshield import crypto


@pytest.fixture
def keys(monkeypatch):
    first, second = crypto.new_key_spec("k1"), crypto.new_key_spec("k2")
    monkeypatch.setenv("PATRONSHIELD_DATA_KEYS", f"{first},{second}")
    crypto.keyring.cache_clear()
    yield first, second
    crypto.keyring.cache_clear()


def test_round_trip_names_its_key_and_hides_the_text(keys):
    blob = crypto.encrypt(b"Warrant of Removal", "document-page:x")
    assert b"Warrant" not in blob and crypto.key_id(blob) == "k1"
    assert crypto.decrypt(blob, "document-page:x") == b"Warrant of Removal"


def test_tampering_or_another_purpose_is_refused(keys):
    blob = bytearray(crypto.encrypt(b"secret", "a"))
    with pytest.raises(InvalidTag):
        crypto.decrypt(bytes(blob), "b")
    blob[-1] ^= 1
    with pytest.raises(InvalidTag):
        crypto.decrypt(bytes(blob), "a")


def test_an_older_key_still_decrypts_and_a_missing_one_says_so(keys, monkeypatch):
    first, second = keys
    blob = crypto.encrypt(b"old", "p")
    monkeypatch.setenv("PATRONSHIELD_DATA_KEYS", f"{second},{first}")  # k2 is now current
    crypto.keyring.cache_clear()
    assert crypto.decrypt(blob, "p") == b"old"
    assert crypto.key_id(crypto.encrypt(b"new", "p")) == "k2"
    monkeypatch.setenv("PATRONSHIELD_DATA_KEYS", second)
    crypto.keyring.cache_clear()
    with pytest.raises(crypto.MissingKey, match="k1"):
        crypto.decrypt(blob, "p")


def test_a_malformed_key_is_refused(monkeypatch):
    monkeypatch.setenv("PATRONSHIELD_DATA_KEYS", "k1:dG9vIHNob3J0")
    crypto.keyring.cache_clear()
    with pytest.raises(ValueError, match="256-bit"):
        crypto.encrypt(b"x", "p")
    crypto.keyring.cache_clear()
