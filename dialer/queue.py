"""The RQ driver for the dialer (DIALER_MODE=rq): jobs that run the same `run_due` in worker processes.

A worker process builds its app once (`flask dialer worker`) and runs every job inside that
app's context, so a job costs one dialer pass, not a new app and a new connection pool.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from redis import Redis
from rq import Queue, SimpleWorker
from rq.job import Job
from sqlalchemy import func, select

from dialer.placing import run_due
from extensions import db, this_app
from models import Call, CallStatus, utcnow

QUEUE_NAME = "dialer"
JOB_SECONDS = 60


def queue_for(app: Flask, name: str = QUEUE_NAME) -> Queue:
    """The RQ queue of this name on REDIS_URL (the dialer's unless told otherwise)."""
    if not app.config.get("REDIS_URL"):
        raise RuntimeError("DIALER_MODE=rq needs REDIS_URL")
    # One connection pool per app and queue: a new one per submission costs a TCP connect each time.
    queues = app.extensions.setdefault("rq_queues", {})
    if name not in queues:
        queues[name] = Queue(name, connection=Redis.from_url(app.config["REDIS_URL"]))
    return queues[name]


def enqueue_dial(app: Flask, delay: timedelta | None = None) -> None:
    """Ask a worker to run a dialer pass, now or after a delay (for retries)."""
    queue = queue_for(app)
    if delay is None:
        queue.enqueue(dial_due_job)
    else:
        queue.enqueue_in(delay, dial_due_job)


def dial_due_job() -> int:
    """RQ job: one dialer pass in the worker's app, then schedule the next pass for the earliest retry."""
    app = this_app()
    try:
        # Paced passes can be long in a surge: stay well inside RQ's job timeout (180 s); the sweep does the rest.
        handled = run_due(app, limit=max(1, int(JOB_SECONDS * float(app.config["TWILIO_CPS"]))))
        next_retry = db.session.scalar(select(func.min(Call.next_attempt_at)).where(Call.status == CallStatus.queued))
        if next_retry is not None:
            enqueue_dial(app, max(timedelta(seconds=1), next_retry - utcnow()))
    finally:
        db.session.remove()
    return handled


class DialerWorker(SimpleWorker):
    """An RQ worker that runs each job in its own process (no fork per job), inside the app it was given."""

    def __init__(self, app: Flask, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.app = app

    def perform_job(self, job: Job, queue: Queue) -> bool:
        with self.app.app_context():
            return super().perform_job(job, queue)


def worker_for(app: Flask) -> DialerWorker:
    """A worker on the dialer's queue, bound to `app`."""
    queue = queue_for(app)
    return DialerWorker(app, [queue], connection=queue.connection)
