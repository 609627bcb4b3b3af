"""The declarative base every table derives from."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any, TypeAlias, cast

from sqlalchemy import CursorResult, DateTime, Delete, Enum, MetaData, Update
from sqlalchemy.dialects.postgresql import Insert as PostgresqlInsert
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session
from sqlalchemy.types import TypeDecorator

# A session, or Flask-SQLAlchemy's request-scoped proxy for one (`db.session`).
DbSession: TypeAlias = Session | scoped_session[Any]

# Named constraints let Alembic alter them later, SQLite's batch mode included.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC that always reads back timezone-aware, SQLite included."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass a timezone-aware value")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Base class for all models."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def dialect_insert(session: DbSession, model: type[Base]) -> PostgresqlInsert | SqliteInsert:
    """An INSERT into the model's table with the session's database's ON CONFLICT clauses."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    return insert(model)


def insert_ignoring_conflicts(session: DbSession, model: type[Base], keys: list[str], **values: Any) -> None:
    """INSERT a row unless one with the same `keys` exists (waiting for a concurrent insert to settle)."""
    session.execute(dialect_insert(session, model).values(**values).on_conflict_do_nothing(index_elements=keys))


def rows_changed(session: DbSession, statement: Update | Delete) -> int:
    """Run an UPDATE or DELETE and return how many rows it changed."""
    return cast(CursorResult[Any], session.execute(statement)).rowcount


def str_enum(cls: type[enum.Enum], name: str) -> Enum:
    """A column type for a Python enum, stored as a checked string of its values."""
    # Not a native enum, so adding a value later is a plain migration on every database.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )
