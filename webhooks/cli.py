"""`flask webhooks deliver` and `flask webhooks worker`: delivering outbound webhooks outside the web process."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from extensions import this_app
from webhooks.queue import deliver_pass, sweeper_for, worker_for


@click.group("webhooks", help="Deliver the campaigns' outbound webhooks.")
def webhooks_cli() -> None:
    """Group for the webhook commands."""


@webhooks_cli.command("deliver")
@with_appcontext
def deliver_command() -> None:
    """One pass over the events due now."""
    click.echo(f"{deliver_pass(this_app())} event(s) delivered")


@webhooks_cli.command("worker")
@with_appcontext
def worker_command() -> None:
    """Run an RQ worker on the webhooks queue (DIALER_MODE=rq), with the periodic sweep beside it."""
    app = this_app()
    sweeper_for(app).wake()
    worker_for(app).work(with_scheduler=True)
