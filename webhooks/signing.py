"""Signing a webhook body, and checking a signature as a receiver would. No Flask."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "Patchthrough-Signature"
# A receiver should refuse a signature older than this: a replayed request.
TOLERANCE_SECONDS = 300


def new_secret() -> str:
    """A fresh signing secret for an endpoint."""
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>", in hex."""
    return hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    """The header's value: "t=<unix seconds>,v1=<hex HMAC>"."""
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, now: int, tolerance: int = TOLERANCE_SECONDS) -> bool:
    """True when the header signs this body with this secret, recently enough."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), parts.get("v1", ""))


def mask(secret: str) -> str:
    """The secret as the console shows it after creation: its start only."""
    return secret[:10] + "…"
