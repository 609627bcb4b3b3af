"""API tokens: made, found by their hash, revoked, and their last use noted. No Flask.

A token is 32 random bytes, shown once to the organiser who made it; only its SHA-256 is kept (a
random token needs no slow hash: there is nothing to guess), with a short prefix to tell tokens apart.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from languages import N_
from models import ApiToken, Campaign, DbSession, User, rows_changed

TOKEN_PREFIX = "pt_"
PREFIX_SHOWN = len(TOKEN_PREFIX) + 6
NAME_MAX = 80
# Last use is written at most this often per token, so a busy integration does not write on every request.
LAST_USE_RESOLUTION = timedelta(seconds=60)


class TokenInvalid(ValueError):
    """What is wrong with a new token's settings, in a sentence for the organiser."""


@dataclass(frozen=True)
class NewToken:
    """A token just made: the row, and the token itself (shown once, never kept)."""

    row: ApiToken
    secret: str


def hash_token(secret: str) -> str:
    """The SHA-256 of a token, as stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(
    session: DbSession,
    name: str,
    *,
    read: bool,
    create: bool,
    campaigns: Sequence[Campaign],
    all_campaigns: bool = False,
    created_by: User | None = None,
) -> NewToken:
    """Make a token with these scopes for these campaigns (or every campaign); the caller commits."""
    name = " ".join(name.split())
    if not name:
        raise TokenInvalid(N_("give the token a name, e.g. the partner or the form it is for"))
    if len(name) > NAME_MAX:
        raise TokenInvalid(N_("keep the name under %(count)s characters", count=NAME_MAX))
    if not (read or create):
        raise TokenInvalid(N_("choose what the token may do: read results, create calls, or both"))
    if not all_campaigns and not campaigns:
        raise TokenInvalid(N_("choose the campaigns the token is for, or every campaign"))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        name=name,
        prefix=secret[:PREFIX_SHOWN],
        token_hash=hash_token(secret),
        can_read=read,
        can_create=create,
        all_campaigns=all_campaigns,
        campaigns=[] if all_campaigns else list(campaigns),
        created_by=created_by,
    )
    session.add(row)
    session.flush()
    return NewToken(row, secret)


def find_token(session: DbSession, secret: str) -> ApiToken | None:
    """The live (not revoked) token this secret is, with its campaigns; None for anything else."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    return session.scalars(
        select(ApiToken)
        .options(selectinload(ApiToken.campaigns))
        .where(ApiToken.token_hash == hash_token(secret), ApiToken.revoked_at.is_(None))
    ).one_or_none()


def note_use(session: DbSession, token: ApiToken, now: datetime) -> None:
    """Record that the token was used now (at most once a LAST_USE_RESOLUTION); the caller commits."""
    statement = (
        update(ApiToken)
        .where(
            ApiToken.id == token.id,
            or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - LAST_USE_RESOLUTION),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    rows_changed(session, statement)


def revoke_token(session: DbSession, token: ApiToken, now: datetime) -> bool:
    """Revoke the token for good; False when it already was. The caller commits."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = now
    return True


def all_tokens(session: DbSession) -> list[ApiToken]:
    """Every token, live ones first, newest first, with their campaigns."""
    return list(
        session.scalars(
            select(ApiToken)
            .options(selectinload(ApiToken.campaigns), selectinload(ApiToken.created_by))
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )
