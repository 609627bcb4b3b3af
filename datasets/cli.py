"""`flask data load` and `flask data refresh`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from datasets.errors import DataError
from datasets.loader import load_data_dir
from extensions import db


@click.group("data", help="Load and refresh the legislator and district data.")
def data_cli() -> None:
    """Group for the data commands."""


@data_cli.command("load")
@click.option("--from", "source", type=click.Path(path_type=Path), default=None,
              help="Data folder (holding state folders such as ma/, or one state folder). Default: DATA_DIR.")
@with_appcontext
def load_command(source: Path | None) -> None:
    """Load districts, ZIP areas and office holders in one transaction; a second run changes nothing."""
    root = source or Path(current_app.config["DATA_DIR"])
    try:
        reports = load_data_dir(db.session, root)
        db.session.commit()
    except DataError as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc}\nNothing was changed.") from exc
    except Exception:
        db.session.rollback()
        raise
    for report in reports:
        for line in report.lines():
            click.echo(line)
