"""The application factory; `gunicorn app:app` and `flask --app app` both find `app` here."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from dotenv import load_dotenv
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import compression
import dialer
import errors
import languages.web
import security
from api.cli import api_tokens_cli
from api.routes import bp as api_bp
from callflow.inbound_routes import bp as callin_bp
from callflow.routes import bp as callflow_bp
from campaigns.cli import campaign_cli
from config import INSTANCE_DIR, check_startup, load_config
from console.cli import users_cli
from console.routes import bp as console_bp
from console.tokens import bp as console_tokens_bp
from datasets.cli import data_cli
from dialer.cli import dialer_cli
from extensions import db, migrate
from pages.health import bp as health_bp
from pages.preview import bp as preview_bp
from pages.routes import bp as pages_bp
from privacy.cli import privacy_cli
from security import logsafe
from security.cli import blocklist_cli
from targets.cli import targets_cli

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from the environment, with `config` overriding any setting (tests use this)."""
    load_dotenv()
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.from_mapping(load_config())
    if config:
        app.config.update(config)
    check_startup(app.config)
    configure_logging(app)
    register_proxy_fix(app)
    register_extensions(app)
    register_blueprints(app)
    register_security(app)
    compression.init_app(app)
    register_commands(app)
    return app


def configure_logging(app: Flask) -> None:
    """Log to stderr at INFO; a PaaS collects it from there."""
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
        logsafe.install(logging.getLogger(), LOG_FORMAT)
    # The twilio library logs request URLs at INFO, and urllib3 at DEBUG; a Calls list URL
    # (?To=+1617…, when the dialer checks for a call it may already have placed) carries the number.
    logging.getLogger("twilio.http_client").setLevel(logging.WARNING)
    logging.getLogger("urllib3.connectionpool").setLevel(logging.WARNING)


def register_proxy_fix(app: Flask) -> None:
    """Trust the platform router's X-Forwarded-* headers so URLs (and Twilio signatures) are the public ones."""
    hops = app.config["PROXY_HOPS"]
    if hops:
        # Flask's documented way to add WSGI middleware; its types declare wsgi_app a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )


def register_extensions(app: Flask) -> None:
    """Bind the database, migrations, the languages and the dialer."""
    db.init_app(app)
    languages.web.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/migrations"))
    dialer.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Mount every part of the site."""
    app.register_blueprint(health_bp)
    app.register_blueprint(callflow_bp)
    app.register_blueprint(callin_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(preview_bp)
    app.register_blueprint(console_bp)
    app.register_blueprint(console_tokens_bp)
    app.register_blueprint(api_bp)


def register_security(app: Flask) -> None:
    """CSRF, origin checks, rate limits, security headers, and the error pages (a kind 503 when the database is
    down)."""
    security.init_app(app)
    errors.init_app(app)


def register_commands(app: Flask) -> None:
    """Add the `flask data …`, `flask campaign …`, `flask dialer …`, `flask blocklist …`, `flask privacy …`,
    `flask users …`, `flask targets …` and `flask api-tokens …` commands."""
    app.cli.add_command(data_cli)
    app.cli.add_command(campaign_cli)
    app.cli.add_command(dialer_cli)
    app.cli.add_command(blocklist_cli)
    app.cli.add_command(privacy_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(targets_cli)
    app.cli.add_command(api_tokens_cli)


app = create_app()
