"""Shared fixtures: an app per test on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app import create_app
from config import default_data_dir
from extensions import db
from models import Base
from tests.support.settings import CAMPAIGN_NUMBER, REDIS_URL, TEST_CONFIG, TWILIO_SID, TWILIO_TOKEN

BACKENDS = ["sqlite"] + (
    [pytest.param("postgresql", marks=pytest.mark.postgres)] if os.environ.get("TEST_DATABASE_URL") else []
)


@pytest.fixture(scope="session")
def ma_data_dir() -> Path:
    """The shared Massachusetts data folder."""
    root = Path(os.environ.get("DATA_DIR") or default_data_dir())
    folder = root / "ma"
    assert (folder / "districts.csv").exists(), f"the shared data is missing: {folder}"
    return folder


@pytest.fixture(scope="session")
def postgres_url():
    """A throwaway PostgreSQL database for this test run, dropped at the end."""
    base = make_url(os.environ["TEST_DATABASE_URL"].replace("postgres://", "postgresql://", 1))
    name = f"patchthrough_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    yield url
    sa.create_engine(url).dispose()
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    """An empty database: a fresh SQLite file, or the run's PostgreSQL database emptied."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    url = request.getfixturevalue("postgres_url")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        Base.metadata.drop_all(conn)
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()
    return url


@pytest.fixture
def make_app(database_url):
    """Build an app on the test database with extra settings; tables are created from the models."""
    made = []

    def factory(**overrides):
        app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **overrides})
        with app.app_context():
            db.create_all()
        made.append(app)
        return app

    yield factory
    for app in made:
        # A test that asked for a call started this app's dialer (and webhook) thread: stop it, or it goes
        # on sweeping the database the next test uses.
        for name in ("dialer", "webhooks"):
            app.extensions[name].stop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    """The app, inside an application context."""
    application = make_app()
    with application.app_context():
        yield application


@pytest.fixture
def client(app):
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for the app's commands."""
    return app.test_cli_runner()


# --- Twilio and Redis, shared by the call, dialer and privacy tests ---------------------------


@pytest.fixture
def rest():
    """The Twilio REST stand-in on 127.0.0.1, owning the campaign's number."""
    from tests.support.twilio_standin import FakeTwilioRest

    with FakeTwilioRest(TWILIO_SID, TWILIO_TOKEN, owned_numbers=[CAMPAIGN_NUMBER]) as server:
        yield server


@pytest.fixture
def twilio_app(make_app, rest):
    """The app placing calls through the stand-in: short REST timeout, near-instant retries."""
    app = make_app(
        TWILIO_ACCOUNT_SID=TWILIO_SID,
        TWILIO_AUTH_TOKEN=TWILIO_TOKEN,
        TWILIO_CALLER_ID=CAMPAIGN_NUMBER,
        TWILIO_API_BASE_URL=rest.base_url,
        TWILIO_TIMEOUT=0.5,
        DIALER_BACKOFF_BASE=0.01,
        DIALER_BACKOFF_MAX=0.01,
    )
    with app.app_context():
        yield app


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A real Redis database for this test, emptied before and after."""
    from redis import Redis

    redis = Redis.from_url(REDIS_URL)
    redis.flushdb()
    yield REDIS_URL
    redis.flushdb()
