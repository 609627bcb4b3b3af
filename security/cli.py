"""`flask blocklist add|remove|list`: block supporter numbers (stored as keyed hashes only) and client networks."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from extensions import db
from models import BlockKind
from phones import parse_allowed_countries, to_e164
from privacy import PhoneVault, mask_phone
from security.blocklist import add_block, list_blocks, normalise_network, remove_block


def _entry(phone: str | None, ip: str | None) -> tuple[BlockKind, str, str]:
    """(kind, stored value, how to show it) from exactly one of --phone / --ip."""
    if bool(phone) == bool(ip):
        raise click.UsageError("give exactly one of --phone or --ip")
    if phone:
        region = parse_allowed_countries(current_app.config.get("ALLOWED_COUNTRIES") or "US")[0]
        e164 = to_e164(phone, region)
        if e164 is None:
            raise click.BadParameter("not a phone number", param_hint="--phone")
        vault = PhoneVault.from_config(current_app.config)
        return BlockKind.phone, vault.hash(e164), mask_phone(e164)
    try:
        network = normalise_network(ip or "")
    except ValueError:
        raise click.BadParameter("not an IP address or CIDR network", param_hint="--ip") from None
    return BlockKind.ip, network, network


@click.group("blocklist", help="Block supporter numbers and client addresses from using the form.")
def blocklist_cli() -> None:
    """Group for the blocklist commands."""


@blocklist_cli.command("add")
@click.option("--phone", help="A supporter number; only its keyed hash is stored.")
@click.option("--ip", help="An IP address or a CIDR network, e.g. 203.0.113.7 or 198.51.100.0/24.")
@click.option("--reason", default="", help="Why, for the other organisers (never a number).")
@with_appcontext
def add_command(phone: str | None, ip: str | None, reason: str) -> None:
    """Add a number or a network to the blocklist."""
    kind, value, shown = _entry(phone, ip)
    _, created = add_block(db.session, kind, value, reason)
    db.session.commit()
    click.echo(f"{'blocked' if created else 'already blocked'}: {kind.value} {shown}")


@blocklist_cli.command("remove")
@click.option("--phone", help="The supporter number to unblock.")
@click.option("--ip", help="The IP address or CIDR network to unblock, exactly as added.")
@with_appcontext
def remove_command(phone: str | None, ip: str | None) -> None:
    """Remove a number or a network from the blocklist."""
    kind, value, shown = _entry(phone, ip)
    removed = remove_block(db.session, kind, value)
    db.session.commit()
    if not removed:
        raise click.ClickException(f"not on the blocklist: {kind.value} {shown}")
    click.echo(f"unblocked: {kind.value} {shown}")


@blocklist_cli.command("list")
@with_appcontext
def list_command() -> None:
    """Show the blocklist; numbers appear only as a hash prefix."""
    entries = list_blocks(db.session)
    if not entries:
        click.echo("The blocklist is empty.")
        return
    for e in entries:
        click.echo(f"{e.id}\t{e.kind}\t{e.shown}\t{e.created_at}\t{e.reason}")
