"""`flask data load` and `flask data refresh`."""

from __future__ import annotations

import re
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from campaigns.files import CampaignFileError, campaign_files, read_campaign
from datasets.bootstrap import MissingData, ensure_states
from datasets.errors import DataError
from datasets.loader import load_data_dir, state_folders
from datasets.refresh import RefreshError, Sources, refresh
from extensions import db


@click.group("data", help="Load and refresh the legislator and district data.")
def data_cli() -> None:
    """Group for the data commands."""


@data_cli.command("load")
@click.option(
    "--from",
    "source",
    type=click.Path(path_type=Path),
    default=None,
    help="Data folder (holding state folders such as ma/, or one state folder). Default: DATA_DIR.",
)
@with_appcontext
def load_command(source: Path | None) -> None:
    """Load districts, ZIP areas and office holders in one transaction; a second run changes nothing."""
    _load_and_report([source or Path(current_app.config["DATA_DIR"])], "{error}\nNothing was changed.")


def _load_and_report(folders: list[Path], failure: str) -> None:
    """Load the folders in one transaction and print each state's report; on a data error change nothing."""
    try:
        reports = [report for folder in folders for report in load_data_dir(db.session, folder)]
        db.session.commit()
    except DataError as exc:
        db.session.rollback()
        raise click.ClickException(failure.format(error=exc)) from exc
    except Exception:
        db.session.rollback()
        raise
    for report in reports:
        for line in report.lines():
            click.echo(line)


def _refresh_folders(root: Path, states: tuple[str, ...]) -> list[Path]:
    """The state folders to refresh: the named ones under root, or every state folder in it."""
    for state in states:
        if not re.fullmatch(r"[A-Za-z]{2}", state):
            raise click.BadParameter(f"{state!r} is not a two-letter state code", param_hint="--state")
    if (root / "districts.csv").exists():  # root is itself a state folder
        if states and root.name.lower() not in {s.lower() for s in states}:
            raise click.ClickException(f"{root} is a state folder, not {', '.join(states)}")
        return [root]
    if states:
        return [root / state.lower() for state in dict.fromkeys(states)]
    try:
        return state_folders(root)
    except DataError as exc:
        raise click.ClickException(f"{exc}; name one with --state") from exc


@data_cli.command("refresh")
@click.option(
    "--state",
    "states",
    multiple=True,
    metavar="XX",
    help="State to refresh (its folder, e.g. ma); repeatable. Default: every state folder in DIR.",
)
@click.option(
    "--to",
    "target",
    type=click.Path(path_type=Path),
    default=None,
    help="Data folder (holding state folders, or one state folder). Default: DATA_DIR.",
)
@click.option("--load", "then_load", is_flag=True, help="Then load the refreshed folders, as `flask data load` does.")
@click.option("--dry-run", is_flag=True, help="Download and compare, but change no file.")
@with_appcontext
def refresh_command(states: tuple[str, ...], target: Path | None, then_load: bool, dry_run: bool) -> None:
    """Download Open States people and the Census ZIP crosswalk into the state folders; districts.csv is kept."""
    root = target or Path(current_app.config["DATA_DIR"])
    folders = _refresh_folders(root, states)
    try:
        refresh(folders, _sources(), click.echo, dry_run=dry_run)
    except RefreshError as exc:
        done = ", ".join(str(f) for f in exc.replaced)
        outcome = f"Already refreshed: {done}." if done else "No data file was changed."
        raise click.ClickException(f"refresh failed: {exc}\n{outcome}") from exc
    if not then_load or dry_run:
        return
    _load_and_report(
        folders, "the files were refreshed, but loading them failed: {error}\nThe database was not changed."
    )


def _sources() -> Sources:
    """Where `flask data refresh` downloads from: the app's settings."""
    config = current_app.config
    return Sources(
        people_url=config["OPENSTATES_PEOPLE_URL"],
        relationship_urls={"upper": config["CENSUS_REL_URL_SLDU"], "lower": config["CENSUS_REL_URL_SLDL"]},
        timeout=float(config["DATA_REFRESH_TIMEOUT"]),
    )


def _campaign_states() -> list[str]:
    """The states the campaign files in campaigns/ name (the demo's, on a fresh clone)."""
    try:
        return [read_campaign(path).values["state"] for path in campaign_files()]
    except CampaignFileError as exc:
        raise click.ClickException(f"{exc}\nNothing was changed.") from exc


@data_cli.command("ensure")
@click.option(
    "--state",
    "states",
    multiple=True,
    metavar="XX",
    help="State whose data must be there; repeatable. Default: the states the campaign files name.",
)
@click.option("--refresh", "refresh_existing", is_flag=True, help="Also refresh the states already there (release).")
@with_appcontext
def ensure_command(states: tuple[str, ...], refresh_existing: bool) -> None:
    """Fetch each needed state's data once when DATA_DIR lacks it; keep (or, with --refresh, refresh) what is there."""
    root = Path(current_app.config["DATA_DIR"])
    for state in states:
        if not re.fullmatch(r"[A-Za-z]{2}", state):
            raise click.BadParameter(f"{state!r} is not a two-letter state code", param_hint="--state")
    try:
        done = ensure_states(
            root, states or _campaign_states(), _sources(), click.echo, refresh_existing=refresh_existing
        )
    except MissingData as exc:
        raise click.ClickException(str(exc)) from exc
    for item in done:
        if item.outcome == "present":
            click.echo(f"{item.state}: data in {item.folder}")
