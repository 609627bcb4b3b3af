"""App-wide error answers: kind pages for people, TwiML for Twilio, JSON for scripts; never a stack trace.

The database being unreachable is the one failure every route can meet: the session is rolled
back (so nothing half-written is committed later) and the answer is a 503 that says so kindly.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, jsonify, request
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError

from callflow.responses import apology, twiml
from extensions import db, limiter
from security.notices import notice_response

log = logging.getLogger(__name__)

# How long a client should wait before trying again after a 503.
RETRY_AFTER_SECONDS = 30


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json" or request.path.endswith("/status")


def database_unavailable(error: Exception) -> Response:
    """The database cannot be reached: roll back, then a 503 (apologetic TwiML for Twilio)."""
    try:
        db.session.rollback()
    except Exception:  # the connection is gone; there is nothing to roll back on it
        log.debug("rollback after a database error failed too", exc_info=True)
    log.error("database unavailable during %s %s: %s", request.method, request.path, type(error).__name__)
    if request.blueprint == "callflow":
        return twiml(apology())
    if _wants_json():
        response = jsonify(
            error="unavailable", message="We can't reach our records right now. Please try again shortly."
        )
        response.status_code = 503
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return notice_response("unavailable", 503, RETRY_AFTER_SECONDS)


def too_many_requests(error: RateLimitExceeded) -> Response:
    """Over a rate limit: the same kind page every refusal gets, and no call."""
    log.info("rate limit reached on %s (%s)", request.endpoint, error.description)
    current = limiter.current_limit  # the limit this request broke, with its window
    retry_after = max(1, int(current.reset_at - time.time())) if current is not None else None
    return notice_response("limited", 429, retry_after)


def form_expired(error: CSRFError) -> Response:
    """A form without a valid CSRF token: most often a page left open too long."""
    log.info("CSRF check failed on %s: %s", request.endpoint, error.description)
    return notice_response("form_expired", 400)


def forbidden(error: Exception) -> Response:
    """A refused request (a cross-origin POST, a bad Twilio signature)."""
    if request.blueprint == "callflow" or _wants_json():
        return Response("Forbidden", status=403, mimetype="text/plain")
    return notice_response("forbidden", 403)


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(OperationalError, database_unavailable)
    app.register_error_handler(DBAPIError, database_unavailable)
    app.register_error_handler(RateLimitExceeded, too_many_requests)
    app.register_error_handler(CSRFError, form_expired)
    app.register_error_handler(403, forbidden)
