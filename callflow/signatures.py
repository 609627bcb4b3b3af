"""The X-Twilio-Signature check, as a decorator for every Twilio-facing route."""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Iterator
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request
from twilio.request_validator import RequestValidator, get_signature_algorithm

log = logging.getLogger(__name__)


def signing_token(app: Flask) -> str:
    """Twilio's auth token; without one (preview mode) a token derived from SECRET_KEY, so webhooks stay closed."""
    token = app.config.get("TWILIO_AUTH_TOKEN") or ""
    if token:
        return token
    return hmac.new(app.config["SECRET_KEY"].encode(), b"patchthrough-preview-signing", hashlib.sha256).hexdigest()


def candidate_urls() -> Iterator[str]:
    """The URLs Twilio may have signed: the public one from PUBLIC_BASE_URL, then the one the request arrived at.

    One at a time: the public URL is the one Twilio signs in a deployment, and building the arrival URL
    (werkzeug's IRI handling) costs a webhook more than checking a signature.
    """
    base = current_app.config.get("PUBLIC_BASE_URL") or ""
    path_and_query = request.full_path if request.query_string else request.path
    public = None
    if base:
        parts = urlsplit(base)
        public = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}{path_and_query}"
        yield public
    # Behind ProxyFix this is the public URL as the router saw it.
    arrived = request.url if request.query_string else request.base_url
    if arrived != public:
        yield arrived


def is_valid_twilio_request() -> bool:
    """True when X-Twilio-Signature matches this request for one of its candidate URLs."""
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature:
        return False
    validator = RequestValidator(signing_token(current_app))
    algorithm = get_signature_algorithm(request.headers.get("X-Twilio-Webhooks-Signature-Settings"))
    # Twilio signs the form fields of a POST; a GET's parameters are already in the URL.
    params = request.form if request.method == "POST" else {}
    # The library tries each URL with and without its default port, as Twilio may sign either.
    return any(validator.validate(url, params, signature, algorithm) for url in candidate_urls())


def twilio_signed(view):
    """Answer 403 unless the request carries a valid Twilio signature."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not is_valid_twilio_request():
            log.warning("rejected a webhook with a missing or invalid signature: %s %s", request.method, request.path)
            abort(403)
        return view(*args, **kwargs)

    return wrapper
