"""`flask dialer run` and `flask dialer worker`: the dialer outside the web process."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from dialer.placing import twilio_configured
from dialer.queue import worker_for
from dialer.sweep import sweep
from dialer.thread import DialerThread
from extensions import this_app


@click.group("dialer", help="Place queued calls through Twilio.")
def dialer_cli() -> None:
    """Group for the dialer commands."""


@dialer_cli.command("run")
@click.option("--once", is_flag=True, help="One pass over the due calls, then exit.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between passes.")
@with_appcontext
def run_command(once: bool, interval: float) -> None:
    """Dial due calls in a loop (or once)."""
    app = this_app()
    if not twilio_configured(app):
        raise click.ClickException("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set: nothing can be dialed.")
    while True:
        handled = sweep(app)
        if once:
            click.echo(f"{handled} call(s) handled")
            return
        time.sleep(interval)


@dialer_cli.command("worker")
@with_appcontext
def worker_command() -> None:
    """Run an RQ worker for DIALER_MODE=rq, with the periodic sweep beside it (a lost job never strands a call)."""
    app = this_app()
    # Several sweepers, so one slow answer from Twilio (a few hundred ms) does not hold up the pace.
    for _ in range(max(1, app.config["DIALER_THREADS"])):
        DialerThread(app, interval=app.config["DIALER_INTERVAL"]).wake()  # the first pass at once
    worker_for(app).work(with_scheduler=True)
