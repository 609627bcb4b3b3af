"""Helpers for the API tests: tokens, and requests with a bearer token."""

from __future__ import annotations

from collections.abc import Sequence

from api.tokens import create_token
from extensions import db
from models import Campaign


def make_token(
    campaigns: Sequence[Campaign] = (), *, read: bool = True, create: bool = True, all_campaigns: bool = False
) -> str:
    """A committed token with these scopes and campaigns; returns the token itself."""
    made = create_token(
        db.session, "partner form", read=read, create=create, campaigns=campaigns, all_campaigns=all_campaigns
    )
    db.session.commit()
    return made.secret


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}


def post_call(client, slug: str, token: str, body: object, **headers: str):
    """POST a call request to the API as a partner's server would."""
    return client.post(f"/api/v1/campaigns/{slug}/calls", json=body, headers={**bearer(token), **headers})
