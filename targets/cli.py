"""`flask targets`: office numbers that look wrong, with the evidence, and what to do about one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import click
from flask.cli import with_appcontext

from extensions import db
from models import utcnow
from targets.health import MIN_DIALS, SHORT_CONNECTION_SECONDS, number_health
from targets.numbers import NumberError, mark_checked, replace_number, set_rotation


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
        if h.out_of_rotation:
            mark += ", OUT OF ROTATION"
        click.echo(f"{h.phone}  {mark}  ({', '.join(h.targets) or 'no active target'})")
        click.echo(
            f"    {h.dials} dials: {h.failed} failed, {h.short} connected under {SHORT_CONNECTION_SECONDS} s, "
            f"{h.couldnt_get_through} 'couldn't get through', {h.busy} busy, {h.no_answer} unanswered"
            + (f" (since checked {h.checked_at:%Y-%m-%d %H:%M} UTC)" if h.checked_at else "")
        )
    if not found or (not shown and not show_all):
        click.echo(f"(A number is judged after {MIN_DIALS} dials.)")


def _apply(change: Callable[[], object], done: str) -> None:
    try:
        change()
    except NumberError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(done)


@targets_cli.command("checked")
@click.argument("phone")
@with_appcontext
def checked_command(phone: str) -> None:
    """Mark an office number checked: its flag is hidden until new dials look wrong again."""
    _apply(lambda: mark_checked(db.session, phone, None), f"{phone} marked checked.")


@targets_cli.command("out-of-rotation")
@click.argument("phone")
@click.option("--back", is_flag=True, help="Put the number back into rotation instead.")
@with_appcontext
def rotation_command(phone: str, back: bool) -> None:
    """Take an office number out of rotation: calls skip it and go to the target's next line."""
    _apply(
        lambda: set_rotation(db.session, phone, back, None),
        f"{phone} is back in rotation." if back else f"{phone} is out of rotation: calls will not dial it.",
    )


@targets_cli.command("replace")
@click.argument("phone")
@click.argument("new")
@with_appcontext
def replace_command(phone: str, new: str) -> None:
    """Give every office that has PHONE the number NEW instead."""
    replaced: list[str] = []
    _apply(lambda: replaced.append(replace_number(db.session, phone, new, None)), f"{phone} replaced.")
    click.echo(f"Offices that had {phone} now have {replaced[0]}.")
