"""`flask api-tokens …`: API tokens from the command line (the same as the console's *API tokens* page)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from api.tokens import TokenInvalid, all_tokens, create_token, revoke_token
from console import audit
from extensions import db
from models import ApiToken, Campaign, utcnow


@click.group("api-tokens", help="API tokens: create (shown once), list, revoke.")
def api_tokens_cli() -> None:
    """Group for the token commands."""


@api_tokens_cli.command("create")
@click.argument("name")
@click.option("--campaign", "slugs", multiple=True, help="a campaign the token is for (repeat for several)")
@click.option("--all-campaigns", is_flag=True, help="every campaign, present and future")
@click.option("--read", is_flag=True, help="may read campaigns, results and legs")
@click.option("--create", "create_calls", is_flag=True, help="may create calls")
@with_appcontext
def create_command(name: str, slugs: tuple[str, ...], all_campaigns: bool, read: bool, create_calls: bool) -> None:
    """Make a token and print it: this is the only time it is shown."""
    campaigns = db.session.scalars(select(Campaign).where(Campaign.slug.in_(slugs))).all() if slugs else []
    missing = sorted(set(slugs) - {c.slug for c in campaigns})
    if missing:
        raise click.ClickException(f"no campaign {', '.join(missing)}. Nothing was changed.")
    try:
        made = create_token(
            db.session, name, read=read, create=create_calls, campaigns=campaigns, all_campaigns=all_campaigns
        )
    except TokenInvalid as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc}. Nothing was changed.") from exc
    scope = "every campaign" if all_campaigns else ",".join(c.slug for c in made.row.campaigns)
    audit.record(
        db.session,
        None,
        "api_token.create",
        made.row.name,
        {"scopes": (None, ",".join(made.row.scopes)), "campaigns": (None, scope), "prefix": (None, made.row.prefix)},
    )
    db.session.commit()
    click.echo(made.secret)


@api_tokens_cli.command("list")
@with_appcontext
def list_command() -> None:
    """Print every token: prefix, name, scopes, campaigns, last use, and whether it is revoked (never the token)."""
    for token in all_tokens(db.session):
        campaigns = "*" if token.all_campaigns else ",".join(c.slug for c in token.campaigns)
        used = token.last_used_at.strftime("%Y-%m-%d %H:%M UTC") if token.last_used_at else "never used"
        revoked = " (revoked)" if token.revoked_at else ""
        click.echo(f"{token.prefix}…\t{token.name}\t{','.join(token.scopes)}\t{campaigns}\t{used}{revoked}")


@api_tokens_cli.command("revoke")
@click.argument("prefix")
@with_appcontext
def revoke_command(prefix: str) -> None:
    """Revoke the live token whose first characters (as `list` shows them) are PREFIX."""
    prefix = prefix.rstrip("…")
    found = db.session.scalars(select(ApiToken).where(ApiToken.prefix == prefix, ApiToken.revoked_at.is_(None))).all()
    if len(found) != 1:
        raise click.ClickException(f"{len(found)} live tokens start with {prefix}. Nothing was changed.")
    token = found[0]
    revoke_token(db.session, token, utcnow())
    audit.record(db.session, None, "api_token.revoke", token.name, {"prefix": (token.prefix, None)})
    db.session.commit()
    click.echo(f"revoked {token.prefix}… ({token.name})")
