"""Protection against abuse: security headers, CSRF and origin checks, rate limits, the blocklist, honeypot, CAPTCHA.

The supporter form plugs in with a few calls (see ``security.submissions``); everything else is
registered on the app by :func:`init_app`.
"""

from __future__ import annotations

from flask import Flask, current_app

from extensions import csrf, limiter
from security import captcha, headers, origins, paths
from security.honeypot import FIELD as HONEYPOT_FIELD


def init_app(app: Flask) -> None:
    """Bind CSRF protection, the rate limiter, the origin check and the security headers."""
    captcha.check_settings(app.config)
    # Blueprints that take no forms (Twilio's webhooks, /healthz) exempt themselves where they are defined.
    paths.init_app(app)
    csrf.init_app(app)
    # Off: with headers on, Flask-Limiter stamps Retry-After on every answer of a limited route,
    # successes included. The 429 page sets its own Retry-After.
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    # When Redis is down the form keeps working with per-process limits rather than failing.
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    limiter.init_app(app)
    origins.init_app(app)
    headers.init_app(app)
    app.jinja_env.globals["honeypot_field"] = HONEYPOT_FIELD
    app.add_template_global(lambda: captcha.provider_for(current_app.config), "captcha_provider")
