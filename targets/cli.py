"""`flask targets health`: office numbers that look wrong, with the evidence."""

from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import with_appcontext

from extensions import db
from models import utcnow
from targets.health import MIN_DIALS, SHORT_CONNECTION_SECONDS, number_health


@click.group("targets", help="The people supporters call: how their office numbers fare.")
def targets_cli() -> None:
    """Commands about targets."""


@targets_cli.command("health")
@click.option("--days", default=7, show_default=True, type=click.IntRange(1, 365), help="How far back to look.")
@click.option("--all", "show_all", is_flag=True, help="List every number dialed, not only the flagged ones.")
@with_appcontext
def health_command(days: int, show_all: bool) -> None:
    """List office numbers whose recent dials failed, were cut short or never got through."""
    found = number_health(db.session, utcnow() - timedelta(days=days))
    shown = found if show_all else [h for h in found if h.flagged]
    flagged = sum(h.flagged for h in found)
    click.echo(f"{len(found)} number(s) dialed in the last {days} day(s); {flagged} look wrong.")
    for h in shown:
        mark = "LOOKS WRONG" if h.flagged else "ok"
        click.echo(f"{h.phone}  {mark}  ({', '.join(h.targets) or 'no active target'})")
        click.echo(
            f"    {h.dials} dials: {h.failed} failed, {h.short} connected under {SHORT_CONNECTION_SECONDS} s, "
            f"{h.couldnt_get_through} 'couldn't get through', {h.busy} busy, {h.no_answer} unanswered"
        )
    if not found or (not shown and not show_all):
        click.echo(f"(A number is judged after {MIN_DIALS} dials.)")
