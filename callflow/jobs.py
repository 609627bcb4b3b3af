"""The RQ driver for the dialer (DIALER_MODE=rq): jobs that run the same `run_due` in worker processes."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from redis import Redis
from rq import Queue
from sqlalchemy import func, select

from extensions import db
from models import Call, CallStatus, utcnow

QUEUE_NAME = "dialer"


def queue_for(app: Flask) -> Queue:
    """The dialer's RQ queue on REDIS_URL."""
    if not app.config.get("REDIS_URL"):
        raise RuntimeError("DIALER_MODE=rq needs REDIS_URL")
    return Queue(QUEUE_NAME, connection=Redis.from_url(app.config["REDIS_URL"]))


def enqueue_dial(app: Flask, delay: timedelta | None = None) -> None:
    """Ask a worker to run a dialer pass, now or after a delay (for retries)."""
    queue = queue_for(app)
    if delay is None:
        queue.enqueue(dial_due_job)
    else:
        queue.enqueue_in(delay, dial_due_job)


def dial_due_job() -> int:
    """RQ job: one dialer pass in a fresh app, then schedule the next pass for the earliest retry."""
    from app import create_app
    from callflow.dialer import run_due

    app = create_app()
    with app.app_context():
        try:
            handled = run_due(app)
            next_retry = db.session.scalar(
                select(func.min(Call.next_attempt_at)).where(Call.status == CallStatus.queued)
            )
            if next_retry is not None:
                enqueue_dial(app, max(timedelta(seconds=1), next_retry - utcnow()))
        finally:
            db.session.remove()
            db.engine.dispose()  # each job builds its own app: close its connections with it
    return handled
