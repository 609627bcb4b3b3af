"""Protection against abuse: security headers, CSRF and origin checks, rate limits, the blocklist, honeypot, CAPTCHA.

The supporter form plugs in with a few calls (see ``security.submissions``); everything else is
registered on the app by :func:`init_app`.
"""

from __future__ import annotations

from flask import Flask, current_app

from extensions import csrf, limiter
from security import captcha, headers, origins
from security.honeypot import FIELD as HONEYPOT_FIELD


def init_app(app: Flask) -> None:
    """Bind CSRF protection, the rate limiter, the origin check and the security headers."""
    from callflow.routes import bp as callflow_bp
    from pages.health import bp as health_bp

    captcha.check_settings(app.config)
    # Twilio cannot send a CSRF token or an Origin; its webhooks are protected by signatures instead.
    csrf.init_app(app)
    csrf.exempt(callflow_bp)
    # Off: with headers on, Flask-Limiter stamps Retry-After on every answer of a limited route,
    # successes included. The 429 page sets its own Retry-After.
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    # When Redis is down the form keeps working with per-process limits rather than failing.
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    limiter.init_app(app)
    # Nothing limits them today (there are no default limits); this keeps it so if defaults are added.
    limiter.exempt(callflow_bp)
    limiter.exempt(health_bp)
    origins.init_app(app)
    headers.init_app(app)
    app.add_template_global(HONEYPOT_FIELD, "honeypot_field")
    app.add_template_global(lambda: captcha.provider_for(current_app.config), "captcha_provider")
