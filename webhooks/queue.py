"""Driving deliveries: RQ jobs on their own queue (DIALER_MODE=rq), or a thread in each web process, and the
sweep both run every WEBHOOK_INTERVAL seconds so an event whose job was lost is still delivered."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import Flask
from redis.exceptions import RedisError
from rq import Queue

from dialer.queue import DialerWorker
from dialer.queue import queue_for as rq_queue
from dialer.thread import DialerThread
from extensions import db, this_app
from models import utcnow
from webhooks.delivery import DeliverySettings, deliver_due, next_retry

log = logging.getLogger(__name__)

# Their own queue, so an endpoint that answers slowly never holds up a call being placed.
QUEUE_NAME = "webhooks"


def queue_for(app: Flask) -> Queue:
    """The webhooks' RQ queue on REDIS_URL."""
    return rq_queue(app, QUEUE_NAME)


def deliver_pass(app: Flask) -> int:
    """One pass over the due events in this app; how many were delivered."""
    try:
        return deliver_due(db.session, DeliverySettings.from_config(app.config))
    finally:
        db.session.remove()


def deliver_due_job() -> int:
    """RQ job: one pass, then a job for the earliest retry still waiting."""
    app = this_app()
    delivered = deliver_pass(app)
    retry_at = next_retry(db.session)
    db.session.remove()
    if retry_at is not None:
        queue_for(app).enqueue_in(max(timedelta(seconds=1), retry_at - utcnow()), deliver_due_job)
    return delivered


def dispatch(app: Flask | None = None) -> None:
    """After a commit that may have written events: have them delivered soon; returns at once."""
    app = app or this_app()
    if app.config["DIALER_MODE"] == "rq":
        try:
            queue_for(app).enqueue(deliver_due_job)
        except (RedisError, OSError):
            log.warning("the webhooks queue is unavailable; the sweep will deliver the events", exc_info=True)
    else:
        app.extensions["webhooks"].nudge()


def wake(app: Flask | None = None) -> None:
    """From a Twilio webhook, which makes no network calls: nudge this process's thread (thread mode); in rq mode
    the sweep beside the worker finds the events within WEBHOOK_INTERVAL seconds."""
    app = app or this_app()
    if app.config["DIALER_MODE"] == "thread":
        app.extensions["webhooks"].nudge()


def worker_for(app: Flask) -> DialerWorker:
    """An RQ worker on the webhooks' queue, bound to `app`."""
    queue = queue_for(app)
    return DialerWorker(app, [queue], connection=queue.connection)


def sweeper_for(app: Flask) -> DialerThread:
    """The periodic delivery pass, as a thread."""
    return DialerThread(app, interval=app.config["WEBHOOK_INTERVAL"], work=deliver_pass, name="patchthrough-webhooks")


def init_app(app: Flask) -> None:
    """Attach the in-process delivery thread; it starts with the first request (never in tests or CLI commands)."""
    sweeper = app.extensions["webhooks"] = sweeper_for(app)

    @app.before_request
    def _start_webhooks() -> None:
        if app.config["DIALER_MODE"] == "thread" and not app.testing:
            sweeper.ensure_started()
