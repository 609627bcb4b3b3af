"""gunicorn's settings beyond the Procfile's command line; gunicorn reads this file from the working directory.

The app is imported once, in the master, before the workers are forked (``preload_app``): the
workers then share the master's memory for everything imported and built at boot (the libraries,
the compiled templates and statements), and each costs only what it changes — a fraction of a
whole interpreter with the app loaded. It also means boot happens once, not once per worker.
"""

from __future__ import annotations

import gc

preload_app = True


def when_ready(server) -> None:
    """Before the first fork: move everything loaded so far out of the garbage collector's sight.

    The collector writes to every object it examines, which would copy the shared pages into each
    worker one by one; frozen objects are never examined (they are the app's, alive for good).
    """
    gc.freeze()


def post_fork(server, worker) -> None:
    """A worker must never use a database connection opened in the master (none is, at boot; this makes sure)."""
    app = server.app.wsgi()  # the app the master loaded
    sqlalchemy = getattr(app, "extensions", {}).get("sqlalchemy")
    if sqlalchemy is not None:
        with app.app_context():
            for engine in sqlalchemy.engines.values():
                engine.dispose(close=False)
