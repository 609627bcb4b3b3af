"""Security headers on every response: a Content-Security-Policy our pages satisfy, HSTS under https, no framing.

Two exceptions, each asked for by the one view that needs it: an embedded form may be framed by the
sites its campaign lists (:func:`allow_framing_by`), and the console's campaign page may frame our own
embedded form as a live preview (:func:`allow_own_frames`).
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, Response, current_app, request

from security.captcha import provider_for

# A year, the value browsers' preload lists expect; sent only over https, where it means something.
HSTS = "max-age=31536000"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"
# Kept on the request (never on `g`, which an app context can share between requests).
_FRAMED_BY = "patchthrough.framed_by"
_OWN_FRAMES = "patchthrough.own_frames"


def content_security_policy(
    extra_origins: dict[str, tuple[str, ...]] | None = None, frame_ancestors: tuple[str, ...] = ()
) -> str:
    """The policy: our own origin only, no inline script or style, plus a CAPTCHA provider's origins when on;
    framed by nobody unless ``frame_ancestors`` lists who may."""
    extra = extra_origins or {}
    directives = {
        "default-src": ("'self'",),
        "script-src": ("'self'", *extra.get("script-src", ())),
        "style-src": ("'self'", *extra.get("style-src", ())),
        "img-src": ("'self'", "data:"),
        "connect-src": ("'self'", *extra.get("connect-src", ())),
        "frame-src": extra.get("frame-src", ()) or ("'none'",),
        "object-src": ("'none'",),
        "base-uri": ("'none'",),
        "form-action": ("'self'",),
        "frame-ancestors": frame_ancestors or ("'none'",),
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def allow_framing_by(origins: Iterable[str]) -> None:
    """This response (an embedded form) may be framed by our own pages and by these origins, and no others."""
    request.environ[_FRAMED_BY] = ("'self'", *origins)


def allow_own_frames() -> None:
    """This page may show our own pages in a frame (the console's preview of the embedded form)."""
    request.environ[_OWN_FRAMES] = True


def set_security_headers(response: Response) -> Response:
    """Add the headers; TwiML and JSON get the ones that apply to any content, HTML the policy too."""
    headers = response.headers
    framed_by: tuple[str, ...] = request.environ.get(_FRAMED_BY, ())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if not framed_by:
        # X-Frame-Options cannot name a list of sites; the policy's frame-ancestors does it where framing is allowed.
        headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure:
        # request.is_secure is the public scheme: ProxyFix has applied X-Forwarded-Proto.
        headers.setdefault("Strict-Transport-Security", HSTS)
    if response.mimetype == "text/html":
        provider = provider_for(current_app.config)
        extra = dict(provider.csp) if provider else {}
        if request.environ.get(_OWN_FRAMES):
            extra["frame-src"] = ("'self'", *extra.get("frame-src", ()))
        headers.setdefault("Content-Security-Policy", content_security_policy(extra, framed_by))
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    return response


def init_app(app: Flask) -> None:
    """Register the headers on every response."""
    app.after_request(set_security_headers)
