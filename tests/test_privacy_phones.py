"""Phone numbers: the hash is keyed and stable, encryption round-trips only with our key, masks hide the middle."""

import base64
import hashlib

from cryptography.fernet import Fernet

from privacy import PhoneVault, mask_phone
from privacy.keys import derived_key


def test_hash_is_stable_and_depends_on_the_key():
    vault = PhoneVault("key-one", "enc")
    assert vault.hash("+16175551234") == vault.hash("+16175551234")
    assert vault.hash("+16175551234") != vault.hash("+16175551235")
    assert vault.hash("+16175551234") != PhoneVault("key-two", "enc").hash("+16175551234")
    assert len(vault.hash("+16175551234")) == 64 and "6175551234" not in vault.hash("+16175551234")


def test_encryption_round_trips_and_hides_the_number():
    vault = PhoneVault("h", "enc-key")
    token = vault.encrypt("+16175551234")
    assert b"6175551234" not in token
    assert vault.decrypt(token) == "+16175551234"
    assert PhoneVault("h", "other-key").decrypt(token) is None
    assert vault.decrypt(b"not a token") is None


def test_numbers_encrypted_before_the_shared_key_derivation_still_decrypt():
    # The key as phones derived it on its own before privacy.keys: stored numbers must stay readable.
    old_key = base64.urlsafe_b64encode(hashlib.sha256(b"patchthrough-phone-encryption\x00" + b"enc-key").digest())
    token = Fernet(old_key).encrypt(b"+16175551234")
    assert PhoneVault("h", "enc-key").decrypt(token) == "+16175551234"


def test_each_label_derives_its_own_key():
    assert derived_key("same", "patchthrough-phone-encryption") != derived_key("same", "patchthrough-embed")
    assert derived_key("same", "patchthrough-embed") == hashlib.sha256(b"patchthrough-embed\x00same").digest()


def test_masks_show_only_area_code_and_last_two_digits():
    assert mask_phone("+16175397340") == "+1 617 ••• ••40"
    assert mask_phone("+442079460958") == "+44 ••• ••58"
