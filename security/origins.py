"""Cross-origin protection for state-changing requests, beyond the CSRF token.

A browser tells us where a request comes from (``Origin``, and ``Sec-Fetch-Site`` in modern
browsers). A state-changing request from another site is refused unless that site's origin is in
ALLOWED_ORIGINS. JSON endpoints (marked with :func:`json_endpoint`) take no CSRF token, so for
them this check is the protection: they accept only same-origin requests, or allowed origins
with the CORS headers a browser needs. GET requests never change state and are not checked.
Twilio's webhooks are left to their signatures, the API (/api/v1) to its bearer tokens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, request

from extensions import csrf

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
F = TypeVar("F", bound=Callable)
_JSON_ENDPOINTS: set[str] = set()


def json_endpoint(view: F) -> F:
    """Mark a view as a JSON endpoint: no CSRF token, origin-checked instead (strictly: the Origin must be known)."""
    _JSON_ENDPOINTS.add(f"{view.__module__}.{view.__name__}")
    return csrf.exempt(view)


def parse_origins(setting: str) -> frozenset[str]:
    """ "https://a.org, https://b.org:8443/" → the normalised origins; raises ValueError on anything else."""
    origins = set()
    for part in setting.replace("\n", ",").split(","):
        part = part.strip()
        if not part:
            continue
        parts = urlsplit(part)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/") or parts.query:
            raise ValueError(f"ALLOWED_ORIGINS takes scheme://host[:port] entries; got {part!r}")
        origins.add(f"{parts.scheme}://{parts.netloc.lower()}")
    return frozenset(origins)


def own_origins() -> set[str]:
    """Our own origins: the one the request reached (public, behind ProxyFix) and PUBLIC_BASE_URL's."""
    mine = {request.host_url.rstrip("/").lower()}
    base = current_app.config.get("PUBLIC_BASE_URL") or ""
    if base:
        parts = urlsplit(base)
        mine.add(f"{parts.scheme}://{parts.netloc}".lower())
    return mine


def _is_json_endpoint() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return view is not None and f"{view.__module__}.{view.__name__}" in _JSON_ENDPOINTS


def request_origin_allowed(strict: bool) -> bool:
    """True when the request comes from our own pages or an allowed origin; ``strict`` refuses an unknown origin."""
    origin = (request.headers.get("Origin") or "").rstrip("/").lower()
    site = (request.headers.get("Sec-Fetch-Site") or "").lower()
    if origin and origin != "null":
        return origin in own_origins() or origin in current_app.config["_ALLOWED_ORIGINS"]
    if origin == "null" or site in ("cross-site", "same-site"):
        return False  # a sandboxed frame or another site that would not say which
    # No Origin: an old browser or a non-browser client. The CSRF token still guards forms.
    return site == "same-origin" or not strict


def check_origin() -> Response | None:
    """before_request: refuse a cross-origin state-changing request (403)."""
    # Twilio's webhooks answer to their signatures, the API to its bearer tokens (never sent by a browser itself).
    if request.method in SAFE_METHODS or request.blueprint in ("callflow", "api"):
        return None
    if not request_origin_allowed(strict=_is_json_endpoint()):
        abort(403)
    return None


def add_cors_headers(response: Response) -> Response:
    """after_request: let an allowed other origin read a JSON endpoint's answer (and pass its preflight)."""
    origin = (request.headers.get("Origin") or "").rstrip("/").lower()
    if origin and origin in current_app.config["_ALLOWED_ORIGINS"] and _is_json_endpoint():
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers.add("Vary", "Origin")
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "POST"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
            response.headers["Access-Control-Max-Age"] = "600"
    return response


def init_app(app: Flask) -> None:
    """Read ALLOWED_ORIGINS once (a malformed entry stops the boot) and register the check."""
    app.config["_ALLOWED_ORIGINS"] = parse_origins(app.config.get("ALLOWED_ORIGINS") or "")
    app.before_request(check_origin)
    app.after_request(add_cors_headers)
