"""The sweep loop: a daemon thread that runs the dialer's sweep every few seconds and whenever woken.

In DIALER_MODE=thread it lives in each web process; in rq mode `flask dialer worker` runs one beside
the RQ worker, so a call whose job was lost (Redis down at submission) is still dialed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from flask import Flask

from dialer.sweep import sweep
from extensions import db

log = logging.getLogger(__name__)


class DialerThread:
    """The in-process driver: one daemon thread per process that sweeps when woken and every few seconds.

    ``work`` is the pass it runs (the dialer's sweep unless told otherwise: webhooks use one too).
    """

    def __init__(
        self,
        app: Flask,
        interval: float = 2.0,
        work: Callable[[Flask], object] = sweep,
        name: str = "patchthrough-dialer",
    ):
        self.app = app
        self.interval = interval
        self.work = work
        self.name = name
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def ensure_started(self) -> None:
        """Start the thread once per process (after a fork, the child starts its own)."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._stop.clear()
                self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
                self._thread.start()

    def wake(self) -> None:
        """Ask the thread to look for due calls now."""
        self.ensure_started()
        self._wake.set()

    def nudge(self) -> None:
        """Ask a running thread for a pass now; without one (tests, CLI), the next sweep anywhere does it."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread (tests)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                with self.app.app_context():
                    self.work(self.app)
            except Exception:  # the thread must outlive any one bad call or database blip
                log.exception("%s pass failed; trying again shortly", self.name)
                with self.app.app_context():
                    db.session.rollback()
