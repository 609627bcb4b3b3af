"""Keys of their own for each use, derived from the deployment's secret settings. No Flask.

Deployers set one plain random value per setting; each use hashes it with its own label, so a key
made for one purpose (encrypting numbers, signing embed tokens, sealing webhook secrets) is never
the key of another, and nobody has to hand-make a Fernet key.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet


def derived_key(secret: str, label: str) -> bytes:
    """32 bytes for the use named by ``label``: SHA-256 of the label, a NUL, and the secret."""
    return hashlib.sha256(label.encode("ascii") + b"\x00" + secret.encode("utf-8")).digest()


def derived_fernet(secret: str, label: str) -> Fernet:
    """A Fernet (authenticated encryption) keyed for the use named by ``label``."""
    return Fernet(base64.urlsafe_b64encode(derived_key(secret, label)))
