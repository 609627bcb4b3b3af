"""Counting the SQL statements each webhook runs, as the app's engine sends them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import event

from extensions import db
from voicesim import WSGITransport

_WRITE = re.compile(r"\b(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
# A statement of its own on the office lines (one riding in a call's write, a CTE, belongs to that write).
_LINES_WRITE = re.compile(r"\s*(INSERT INTO|UPDATE|DELETE FROM) line_leases\b", re.IGNORECASE)


@dataclass
class Webhook:
    """One delivered webhook: its last path segment (answered, gather, dial, status, amd…) and its SQL."""

    name: str
    statements: list[str] = field(default_factory=list)

    @property
    def reads(self) -> int:
        """Statements that only read."""
        return sum(1 for s in self.statements if not _WRITE.search(s))

    @property
    def writes(self) -> int:
        """Statements that change rows (on PostgreSQL one may also carry a CTE or RETURNING)."""
        return sum(1 for s in self.statements if _WRITE.search(s))

    @property
    def line_reads(self) -> int:
        """Reads of the office lines in use (OFFICE_LINE_LIMIT): at most one, and only when a line is chosen."""
        return sum(1 for s in self.statements if "line_leases" in s and not _WRITE.search(s))

    @property
    def line_writes(self) -> int:
        """Office lines taken or given back by statements of their own."""
        return sum(1 for s in self.statements if _LINES_WRITE.match(s))


class CountingTransport(WSGITransport):
    """Delivers webhooks in-process and records the SQL statements each one runs."""

    def __init__(self, app):
        super().__init__(app)
        self.webhooks: list[Webhook] = []

    def send(self, method, url, form, headers):
        hook = Webhook(url.split("?", 1)[0].rsplit("/", 1)[-1])

        def count(conn, cursor, statement, *args):
            hook.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            return super().send(method, url, form, headers)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
            self.webhooks.append(hook)
