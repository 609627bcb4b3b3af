"""A webhook's write, built once per shape: a conditional UPDATE of one call and the statements that depend on it.

Building a SQLAlchemy statement and running it through the ORM's session costs several times what
running a statement built beforehand costs on the session's connection (its cache key, the ORM's
bulk-update bookkeeping). So each shape of write — which columns change, which legs, which events —
is built once per process (``functools.lru_cache`` on its builder) with a bind parameter for every
value, and each webhook only binds its values.

The dependents (a call's legs, its failed-over lines, its outbox rows) must apply only if the call's
UPDATE did. On PostgreSQL they ride in the same statement as data-modifying CTEs; SQLite has none,
so there each takes a statement of its own, given the call's id the UPDATE returned.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Delete, Executable, Insert, Update, bindparam, select
from sqlalchemy.sql.elements import BindParameter

from models import Call, DbSession
from webhooks.outbox import CallIds

# The id of the call the UPDATE changed, on SQLite, where the dependents run as statements of their own.
MOVED_ID = "moved_call_id"

Dependent = Callable[[CallIds], Update | Insert | Delete]


def param(name: str, column: Column[Any] | Any) -> BindParameter[Any]:
    """A bind parameter typed as ``column`` (its enum or date conversion applies to the bound value)."""
    return bindparam(name, type_=column.type)


@dataclass(frozen=True)
class Write:
    """A prepared write: run it with the values bound; True when the call's UPDATE applied."""

    first: Executable
    returns_rows: bool  # the first statement says by a row whether the call's UPDATE applied, else by rowcount
    rest: tuple[Executable, ...] = ()

    def run(self, session: DbSession, values: Mapping[str, Any]) -> bool:
        connection = session.connection()  # the session's transaction, without the ORM's bookkeeping
        result = connection.execute(self.first, dict(values))
        if not self.returns_rows:
            return result.rowcount == 1
        row = result.first()
        if row is None:
            return False
        for statement in self.rest:
            connection.execute(statement, {**values, MOVED_ID: row[0]})
        return True


def prepare(dialect: str, call_update: Update, dependents: tuple[Dependent, ...] = ()) -> Write:
    """The write of ``call_update`` and its ``dependents`` (each given the ids of the calls the UPDATE changed)."""
    if not dependents:
        return Write(call_update, returns_rows=False)
    if dialect == "postgresql":
        moved = call_update.returning(Call.id).cte("moved")
        query = select(moved.c.id)
        for n, dependent in enumerate(dependents):
            statement = dependent(select(moved.c.id))
            key = next(iter(statement.table.primary_key))  # a CTE's statement must return something
            query = query.add_cte(statement.returning(key).cte(f"dependent{n}"))
        return Write(query, returns_rows=True)
    moved_id = [bindparam(MOVED_ID, type_=Call.id.type)]
    return Write(call_update.returning(Call.id), returns_rows=True, rest=tuple(d(moved_id) for d in dependents))
