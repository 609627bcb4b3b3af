"""The audit log: who changed what and when. No Flask.

Only organisers' own settings are recorded (campaign fields, roles, statuses), never a
supporter's number, name or town: nothing from the calls tables is ever passed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from models import AuditEntry, DbSession, User


def record(
    session: DbSession,
    user: User | None,
    action: str,
    subject: str,
    changes: Mapping[str, tuple[Any, Any]] | None = None,
) -> AuditEntry:
    """Add one entry: `changes` maps each field to (old, new). The caller commits with the change itself."""
    entry = AuditEntry(
        user_id=user.id if user is not None else None,
        action=action,
        subject=subject[:200],
        changes={name: [old, new] for name, (old, new) in (changes or {}).items()},
    )
    session.add(entry)
    return entry


def recent(session: DbSession, limit: int = 200) -> list[AuditEntry]:
    """The newest entries first, with their users."""
    return list(
        session.scalars(
            select(AuditEntry).options(joinedload(AuditEntry.user)).order_by(AuditEntry.id.desc()).limit(limit)
        )
    )
