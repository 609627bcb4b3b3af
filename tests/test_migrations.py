"""Migrations build the models' schema from an empty database, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from extensions import db
from models import Base, Call, EventType, WebhookEvent
from tests.support.factories import make_campaign
from webhooks.signing import SecretBox


def test_upgrade_from_empty_matches_the_models(make_app, database_url):
    app = make_app()
    with app.app_context():
        db.drop_all()  # make_app created tables from the models; start from nothing instead
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
        assert diff == []
        assert {"campaigns", "districts", "targets", "zip_districts", "callers", "calls", "call_legs", "blocks"} <= set(
            inspect(db.engine).get_table_names()
        )


def test_downgrade_to_base_removes_every_table(make_app):
    app = make_app()
    with app.app_context():
        db.drop_all()
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}


def _set_source(source: str) -> None:
    """Every call's source set straight in the table, as the database's own check judges it."""
    db.session.execute(text("UPDATE calls SET source = :source"), {"source": source})
    db.session.commit()


def test_the_api_call_source_migration_admits_api_and_its_downgrade_reads_api_calls_as_web(make_app):
    app = make_app()
    with app.app_context():
        db.drop_all()
        upgrade(revision="0015_outbound_webhooks")
        db.session.add(Call(campaign=make_campaign(), caller=None))  # a web call, as every call was then
        db.session.commit()
        with pytest.raises(IntegrityError):  # before: the check knows only web and call-in
            _set_source("api")
        db.session.rollback()
        upgrade(revision="0018_api_call_source")
        _set_source("api")
        with pytest.raises(IntegrityError):
            _set_source("fax")
        db.session.rollback()
        downgrade(revision="0015_outbound_webhooks")
        assert db.session.execute(text("SELECT source FROM calls")).scalars().all() == ["web"]
        with pytest.raises(IntegrityError):
            _set_source("api")
        db.session.rollback()


def test_a_table_rebuilt_on_sqlite_keeps_the_rows_that_reference_it(make_app):
    """0018 rebuilds calls on SQLite (copy, drop, rename): the drop must not cascade to each call's events."""
    app = make_app()
    with app.app_context():
        db.drop_all()
        upgrade(revision="0015_outbound_webhooks")
        db.session.add(Call(campaign=make_campaign(), caller=None))
        db.session.commit()
        when = "'2026-12-01 10:00:00'"
        db.session.execute(
            text(
                "INSERT INTO webhook_endpoints (campaign_id, url, secret, active, created_at) "
                f"SELECT campaign_id, 'https://crm.example.org/hooks', 'whsec_x', true, {when} FROM calls"
            )
        )
        db.session.execute(
            text(
                "INSERT INTO webhook_events (endpoint_id, call_id, type, status, attempts, next_attempt_at, "
                f"retry_from, created_at) SELECT e.id, c.id, 'call.requested', 'pending', 0, {when}, {when}, {when} "
                "FROM webhook_endpoints e, calls c"
            )
        )
        db.session.commit()
        upgrade(revision="0018_api_call_source")
        assert db.session.scalar(text("SELECT count(*) FROM webhook_events")) == 1
        db.session.commit()


SECRET = "whsec_" + "k" * 39 + "Zq9x"
# The endpoints' table as 0015 made it, for writing a row as it was before secrets were encrypted.
PLAIN_ENDPOINTS = sa.table(
    "webhook_endpoints",
    sa.column("campaign_id", sa.Integer()),
    sa.column("url", sa.String()),
    sa.column("secret", sa.String()),
    sa.column("active", sa.Boolean()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def _text(value: object) -> str:
    """A column's value as text, bytes included, to look for a secret in it."""
    return bytes(value).decode("latin-1") if isinstance(value, bytes | memoryview) else str(value)


def _endpoint_row() -> dict:
    row = dict(db.session.execute(text("SELECT * FROM webhook_endpoints")).mappings().one())
    db.session.commit()  # no read left open for the next migration's ALTER TABLE to wait on
    return row


def _event_count() -> int:
    count = db.session.scalar(text("SELECT count(*) FROM webhook_events"))
    db.session.commit()
    return count


def test_the_webhook_secrets_migration_encrypts_existing_secrets_and_its_downgrade_restores_them(make_app):
    app = make_app()
    with app.app_context():
        db.drop_all()
        upgrade(revision="0018_api_call_source")
        call = Call(campaign=make_campaign(), caller=None)
        db.session.add(call)
        db.session.flush()
        db.session.execute(
            PLAIN_ENDPOINTS.insert().values(
                campaign_id=call.campaign_id,
                url="https://crm.example.org/hooks",
                secret=SECRET,
                active=True,
                created_at=datetime(2026, 11, 30, 9, 0, tzinfo=UTC),
            )
        )
        endpoint_id = db.session.scalar(text("SELECT id FROM webhook_endpoints"))
        db.session.add(WebhookEvent(endpoint_id=endpoint_id, call_id=call.id, type=EventType.call_requested))
        db.session.commit()

        upgrade(revision="0019_webhook_secrets_encrypted")
        row = _endpoint_row()
        assert "secret" not in row and row["previous_secret_encrypted"] is None
        assert not any(SECRET[6:] in _text(value) for value in row.values())
        assert SecretBox.from_config(app.config).open(row["secret_encrypted"]) == SECRET
        assert row["secret_hint"] == "…Zq9x" and row["url"] == "https://crm.example.org/hooks"
        # On SQLite the batch rebuilds the table; the endpoint's events must not go with the old one.
        assert _event_count() == 1

        downgrade(revision="0018_api_call_source")
        row = _endpoint_row()
        assert row["secret"] == SECRET and "secret_encrypted" not in row and "secret_hint" not in row
        assert _event_count() == 1
