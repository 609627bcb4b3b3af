"""`flask privacy purge --older-than 30d`: delete supporters' details a campaign no longer needs."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from extensions import db
from models import utcnow
from privacy.purge import parse_age, purge


@click.group("privacy", help="Keep only what campaigns need about supporters.")
def privacy_cli() -> None:
    """Group for the privacy commands."""


@privacy_cli.command("purge")
@click.option(
    "--older-than",
    "older_than",
    default="30d",
    show_default=True,
    help="Age after which names, towns and previews go (s, m, h, d or w).",
)
@with_appcontext
def purge_command(older_than: str) -> None:
    """Erase names, towns, previews and leftover encrypted numbers; keep anonymous counts."""
    try:
        age = parse_age(older_than)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--older-than") from None
    report = purge(db.session, utcnow(), age)
    db.session.commit()
    click.echo(
        f"Erased names and towns from {report.names_and_towns} call(s), "
        f"encrypted numbers from {report.numbers} call(s); deleted {report.previews} preview(s)."
    )
    outcomes = ", ".join(f"{name} {count}" for name, count in report.leg_outcomes.items()) or "none"
    click.echo(f"Kept: {report.calls} call(s), {report.legs} leg(s); leg outcomes: {outcomes}.")
