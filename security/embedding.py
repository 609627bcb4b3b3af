"""The embedded form's protections, which cannot lean on a cookie. No Flask.

Inside another site's frame a browser that blocks third-party cookies drops ours, so the session
(and the CSRF token kept in it) is gone. Instead each embedded page carries a signed, expiring token:
the form's is bound to its campaign, the call page's to its call, and both to the host page's origin,
which must stay in the campaign's list of sites allowed to embed it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from privacy.keys import derived_key

# A supporter may leave the form open a while before pressing Call now; the normal form's token lasts an hour.
FORM_TOKEN_SECONDS = 2 * 3600
# The call page (and its preview) is followed for the length of a call, with room to come back to it.
CALL_TOKEN_SECONDS = 24 * 3600
_KINDS = {"form": FORM_TOKEN_SECONDS, "call": CALL_TOKEN_SECONDS}


@dataclass(frozen=True)
class EmbedToken:
    """What a valid token says: which campaign or call it is for, and the origin of the page framing ours."""

    kind: str
    subject: str
    parent: str
    issued: int


def _key(secret: str) -> bytes:
    # A key of its own, so a token made here can never pass for another signature made with SECRET_KEY.
    return derived_key(secret, "patchthrough-embed")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_token(secret: str, kind: str, subject: str, parent: str, now: float) -> str:
    """A token for `kind` ("form": subject is the campaign's id; "call": the call's public id), framed by `parent`."""
    if kind not in _KINDS:
        raise ValueError(f"unknown token kind {kind!r}")
    body = _b64(json.dumps([kind, subject, parent, int(now)], separators=(",", ":")).encode())
    signature = _b64(hmac.new(_key(secret), body.encode(), hashlib.sha256).digest())
    return f"{body}.{signature}"


def read_token(secret: str, token: str, kind: str, subject: str, now: float) -> EmbedToken | None:
    """The token's contents when it is ours, unaltered, of this kind, for this subject and not expired; else None."""
    read = _signed(secret, token, kind, subject)
    if read is None or not 0 <= now - read.issued <= _KINDS[kind]:
        return None
    return read


def expired_token_parent(secret: str, token: str, kind: str, subject: str) -> str | None:
    """The host page's origin that a token of ours names, however old: whom an expired form's page may tell its
    height. Never a permission: only :func:`read_token` lets a request through."""
    read = _signed(secret, token, kind, subject)
    return read.parent if read is not None else None


def _signed(secret: str, token: str, kind: str, subject: str) -> EmbedToken | None:
    """The token's contents when it is ours, unaltered, of this kind and for this subject, whatever its age."""
    body, _, signature = (token or "").partition(".")
    expected = _b64(hmac.new(_key(secret), body.encode(), hashlib.sha256).digest())
    if not body or not hmac.compare_digest(signature.encode(), expected.encode()):
        return None
    try:
        found_kind, found_subject, parent, issued = json.loads(_unb64(body))
    except (ValueError, TypeError):
        return None
    if found_kind != kind or found_subject != subject or not isinstance(issued, int):
        return None
    return EmbedToken(kind, subject, str(parent), issued)


def origin_of(url: str | None) -> str | None:
    """scheme://host[:port] of a URL (an Origin or Referer header), lower-case; None when it has none."""
    if not url or url == "null":
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    shown = f"[{host}]" if ":" in host else host
    default = {"http": 80, "https": 443}[parts.scheme]
    return f"{parts.scheme}://{shown}" + (f":{port}" if port is not None and port != default else "")


def may_frame(parent: str | None, allowed: Iterable[str], own: Iterable[str]) -> bool:
    """True when a page at `parent` may frame the form: one of the campaign's sites, or our own (the console)."""
    return parent is not None and (parent in set(allowed) or parent in {origin_of(o) for o in own})


def came_from(origin_header: str | None, referer: str | None, expected: Iterable[str]) -> bool:
    """True when a request's Origin (or, lacking it, its Referer) is one of `expected`; False when it says neither."""
    wanted = {origin_of(o) for o in expected} - {None}
    said = origin_of(origin_header) if origin_header else origin_of(referer)
    return said is not None and said in wanted
