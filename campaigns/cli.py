"""`flask campaign load`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from campaigns import get_campaign
from campaigns.files import CampaignFileError, campaign_files, read_campaign
from campaigns.loader import apply_campaign
from campaigns.stats import campaign_stats
from extensions import db


@click.group("campaign", help="Create and update campaigns from their files.")
def campaign_cli() -> None:
    """Group for the campaign commands."""


@campaign_cli.command("load")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def load_command(paths: tuple[Path, ...]) -> None:
    """Create or update campaigns from files (default: every file in campaigns/), all or nothing."""
    files = list(paths) or campaign_files()
    try:
        specs = [read_campaign(path) for path in files]
        outcomes = [(spec.slug, apply_campaign(db.session, spec)) for spec in specs]
        db.session.commit()
    except CampaignFileError as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc}\nNothing was changed.") from exc
    for slug, outcome in outcomes:
        click.echo(f"campaign {slug}: {outcome}")


@campaign_cli.command("stats")
@click.argument("slug")
@with_appcontext
def stats_command(slug: str) -> None:
    """Print a campaign's results: calls by outcome and by source, supporters, and each target's conversations."""
    campaign = get_campaign(slug)
    if campaign is None:
        raise click.ClickException(f"no campaign {slug!r}")
    stats = campaign_stats(db.session, campaign)
    total = sum(stats.calls_by_status.values())
    click.echo(f"{campaign.title}: {total} call(s) from {stats.supporters} supporter(s)")
    for status, count in sorted(stats.calls_by_status.items()):
        click.echo(f"  {status}: {count}")
    click.echo("  by source: " + ", ".join(f"{source} {count}" for source, count in stats.calls_by_source.items()))
    click.echo(f"  not asked for (pressed 9, number blocklisted): {stats.not_requested}")
    for target in stats.targets:
        click.echo(
            f"  {target.title} {target.name}: {target.reached} reached, {target.missed} missed, of "
            f"{target.planned} planned"
        )
