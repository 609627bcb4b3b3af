"""Absolute URLs for Twilio, built from PUBLIC_BASE_URL so they are the ones Twilio signs."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, has_request_context, url_for


def public_url(app: Flask, endpoint: str, **values) -> str:
    """The public absolute URL of an endpoint; works outside a request (the dialer) too."""
    base = app.config.get("PUBLIC_BASE_URL") or ""
    if not base:
        if has_request_context():
            return url_for(endpoint, _external=True, **values)
        raise RuntimeError("PUBLIC_BASE_URL must be set to give Twilio webhook URLs")
    parts = urlsplit(base)
    adapter = app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)
