"""Security headers on every response: a Content-Security-Policy our pages satisfy, HSTS under https, no framing."""

from __future__ import annotations

from flask import Flask, Response, current_app, request

from security.captcha import provider_for

# A year, the value browsers' preload lists expect; sent only over https, where it means something.
HSTS = "max-age=31536000"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"


def content_security_policy(extra_origins: dict[str, tuple[str, ...]] | None = None) -> str:
    """The policy: our own origin only, no inline script or style, plus a CAPTCHA provider's origins when on."""
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
        "frame-ancestors": ("'none'",),
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def set_security_headers(response: Response) -> Response:
    """Add the headers; TwiML and JSON get the ones that apply to any content, HTML the policy too."""
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure:
        # request.is_secure is the public scheme: ProxyFix has applied X-Forwarded-Proto.
        headers.setdefault("Strict-Transport-Security", HSTS)
    if response.mimetype == "text/html":
        provider = provider_for(current_app.config)
        headers.setdefault("Content-Security-Policy", content_security_policy(provider.csp if provider else None))
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    return response


def init_app(app: Flask) -> None:
    """Register the headers on every response."""
    app.after_request(set_security_headers)
