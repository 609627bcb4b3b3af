"""`flask campaign load`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from campaigns import campaign_by_slug
from campaigns.files import CampaignFileError, campaign_files, read_campaign
from campaigns.loader import apply_campaign
from extensions import db
from languages import DEFAULT_LOCALE, formats
from models import utcnow
from results.campaign import campaign_results
from results.figures import FEEDBACK_LABELS


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
    """Print a campaign's results, the same figures as the console's: counts only, previews not counted."""
    campaign = campaign_by_slug(slug)
    if campaign is None:
        raise click.ClickException(f"no campaign {slug!r}")
    figures = campaign_results(db.session, campaign, utcnow())
    top = figures.headline
    click.echo(f"{campaign.title}: {top.requested} call(s) requested by {top.supporters} supporter(s)")
    click.echo(f"  answered by the supporter: {top.answered}")
    click.echo(f"  voicemail detected: {top.voicemail}")
    click.echo(f"  connected to at least one office: {top.connected}")
    click.echo(f"  whole call completed: {top.completed}")
    click.echo(f"  not asked for (pressed 9, number blocklisted): {top.not_requested}")
    click.echo("  by source: " + ", ".join(f"{source} {count}" for source, count in top.by_source.items()))
    click.echo("Funnel: " + " → ".join(f"{step.label} {step.count}" for step in figures.funnel))
    for target in figures.targets:
        reported = ", ".join(f"{FEEDBACK_LABELS[key]} {n}" for key, n in target.reported.items())
        click.echo(
            f"  {target.name}: {target.attempts} attempt(s), {target.conversations} conversation(s); "
            f"reported: {reported}; busy {target.busy}, no answer {target.no_answer}, skipped {target.skipped}, "
            f"failed over to another office line {target.failovers}; "
            f"median conversation {formats.duration(target.median_seconds, DEFAULT_LOCALE)}"
        )
    covered = len(figures.districts) + len(figures.districts_without_calls)
    click.echo(f"Districts reached: {len(figures.districts)} of {covered}")
