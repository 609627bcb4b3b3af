"""Extensions not yet bound to an app; create_app() binds them."""

from __future__ import annotations

import sqlite3
from typing import cast

from flask import Flask, current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.local import LocalProxy

from models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate(compare_type=True, render_as_batch=True)
csrf = CSRFProtect()
babel = Babel(configure_jinja=False)  # the templates read our catalogs (languages.web)
# No default limits: only the routes that take submissions are limited, never Twilio's webhooks or
# /healthz. The client address is request.remote_addr, which ProxyFix has set from X-Forwarded-For.
# The storage is the last app's to call init_app: one app per process in production.
limiter = Limiter(get_remote_address)


def this_app() -> Flask:
    """The app behind `current_app`, for work that outlives the request or context (a thread, a job)."""
    # Flask types current_app as the app itself; it is a LocalProxy, which knows what it stands for.
    return cast("LocalProxy[Flask]", current_app)._get_current_object()


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    """SQLite as a real embedded database: enforce foreign keys, let readers and one writer share it."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    # WAL lets the web workers and the dialer thread read while another writes; NORMAL sync is
    # durable across app crashes (not power loss), and a commit costs no fsync.
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.close()
