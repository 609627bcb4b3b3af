"""Keyed hashing, encryption and masking of phone numbers; nothing else in the app touches a raw number at rest."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from cryptography.fernet import InvalidToken

from privacy.keys import derived_fernet

# The label of the numbers' own key, derived from PHONE_ENCRYPTION_KEY: changing it loses every stored number.
PHONE_KEY_LABEL = "patchthrough-phone-encryption"


class PhoneVault:
    """Hashes numbers for counting and encrypts them for the dialer, with keys from the environment."""

    def __init__(self, hash_key: str, encryption_key: str):
        if not hash_key or not encryption_key:
            raise ValueError("PHONE_HASH_KEY and PHONE_ENCRYPTION_KEY must be set")
        self._hash_key = hash_key.encode("utf-8")
        self._fernet = derived_fernet(encryption_key, PHONE_KEY_LABEL)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> PhoneVault:
        """The vault with an app's keys (PHONE_HASH_KEY, PHONE_ENCRYPTION_KEY)."""
        return cls(config["PHONE_HASH_KEY"], config["PHONE_ENCRYPTION_KEY"])

    def hash(self, e164: str) -> str:
        """HMAC-SHA256 of the E.164 number, hex: the same number always gives the same hash."""
        return hmac.new(self._hash_key, e164.encode("ascii"), hashlib.sha256).hexdigest()

    def encrypt(self, e164: str) -> bytes:
        """Encrypt the number for storage until its call is over."""
        return self._fernet.encrypt(e164.encode("ascii"))

    def decrypt(self, token: bytes) -> str | None:
        """The number, or None when the token is not ours (another key, tampered)."""
        try:
            return self._fernet.decrypt(bytes(token)).decode("ascii")
        except (InvalidToken, ValueError):
            return None


def mask_phone(e164: str) -> str:
    """Show enough to recognise a number and no more: +16175397340 → +1 617 ••• ••40."""
    digits = e164.lstrip("+")
    if e164.startswith("+1") and len(digits) == 11:
        return f"+1 {digits[1:4]} ••• ••{digits[-2:]}"
    if len(digits) <= 4:
        return "•" * len(digits)
    return "+" + digits[:2] + " ••• " + "••" + digits[-2:]
