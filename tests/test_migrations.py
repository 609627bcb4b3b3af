"""Migrations build the models' schema from an empty database, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from extensions import db
from models import Base


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
