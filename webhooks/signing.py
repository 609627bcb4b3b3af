"""Signing a webhook body, and checking a signature as a receiver would; endpoints' secrets sealed for storage.
No Flask."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from cryptography.fernet import InvalidToken

from privacy.keys import derived_fernet

SIGNATURE_HEADER = "Patchthrough-Signature"
# A receiver should refuse a signature older than this: a replayed request.
TOLERANCE_SECONDS = 300
# After a secret is rolled, deliveries are signed with the old one too for this long, so receivers can switch over.
ROLL_GRACE = timedelta(hours=24)
# The label of the key that seals endpoints' secrets, derived from PHONE_ENCRYPTION_KEY: changing it loses them all.
SECRET_KEY_LABEL = "patchthrough-webhook-secret"


def new_secret() -> str:
    """A fresh signing secret for an endpoint."""
    return "whsec_" + secrets.token_urlsafe(32)


def hint(secret: str) -> str:
    """What the console shows of a secret after creation: its last four characters, enough to tell two apart."""
    return "…" + secret[-4:]


class SecretBox:
    """Seals endpoints' signing secrets for the database and opens them to sign a delivery.

    A secret must be readable to sign with, so it is encrypted rather than hashed; with a key of its
    own derived from PHONE_ENCRYPTION_KEY, a copy of the database alone does not give it away.
    """

    def __init__(self, encryption_key: str):
        if not encryption_key:
            raise ValueError("PHONE_ENCRYPTION_KEY must be set")
        self._fernet = derived_fernet(encryption_key, SECRET_KEY_LABEL)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SecretBox:
        """The box with an app's key (PHONE_ENCRYPTION_KEY)."""
        return cls(config["PHONE_ENCRYPTION_KEY"])

    def seal(self, secret: str) -> bytes:
        """The secret encrypted, for storage."""
        return self._fernet.encrypt(secret.encode("utf-8"))

    def open(self, sealed: bytes) -> str | None:
        """The secret, or None when it was not sealed with this key (PHONE_ENCRYPTION_KEY changed, or tampered)."""
        try:
            return self._fernet.decrypt(bytes(sealed)).decode("utf-8")
        except (InvalidToken, ValueError):
            return None


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>", in hex."""
    return hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes, previous: str | None = None) -> str:
    """The header's value: "t=<unix seconds>,v1=<hex HMAC>", and a second v1 with the previous secret while a
    rolled one's grace period lasts."""
    header = f"t={timestamp},v1={signature(secret, timestamp, body)}"
    if previous is not None:
        header += f",v1={signature(previous, timestamp, body)}"
    return header


def verify(secret: str, header: str, body: bytes, now: int, tolerance: int = TOLERANCE_SECONDS) -> bool:
    """True when one of the header's v1 signatures signs this body with this secret, recently enough."""
    parts = [(name, value) for name, sep, value in (part.partition("=") for part in header.split(",")) if sep]
    try:
        timestamp = int(dict(parts).get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, value) for name, value in parts if name == "v1")
