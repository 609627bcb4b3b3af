"""Benchmark: how long each Twilio webhook takes inside the app, and how many SQL statements it runs.

Plays whole calls with the simulator against the app in-process (no network), so the figures are
the app's own cost per webhook: signature check, one SELECT, the pure flow, the UPDATEs, the TwiML.

    .venv/bin/python bench/webhook_latency.py [--calls 200] [--database-url postgresql://…]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app
from bench.scenario import INPUTS, dial_scenario, seed_calls
from extensions import db
from voicesim import CallSimulator, WSGITransport

TOKEN = "bench-token"
from tests.support.settings import TEST_CONFIG, TWILIO_TOKEN  # noqa: E402


class TimingTransport(WSGITransport):
    """Delivers webhooks in-process, timing each and counting its SQL statements."""

    def __init__(self, app):
        super().__init__(app)
        self.samples: dict[str, list[tuple[float, int]]] = defaultdict(list)

    def send(self, method, url, form, headers):
        statements = []
        listener = lambda *args: statements.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        start = time.perf_counter()
        try:
            return super().send(method, url, form, headers)
        finally:
            elapsed = time.perf_counter() - start
            event.remove(db.engine, "before_cursor_execute", listener)
            self.samples[url.rsplit("/", 1)[-1]].append((elapsed, len(statements)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    app = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": url,
            "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
            "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        }
    )
    with app.app_context():
        ids = seed_calls(app, args.calls)
        transport = TimingTransport(app)
        sim = CallSimulator(transport, TWILIO_TOKEN, dial_scenario=dial_scenario())
        started = time.perf_counter()
        for public_id in ids:
            sim.run(
                f"https://patchthrough.example.org/twilio/calls/{public_id}/answered",
                INPUTS,
                on_exhausted="silence",
                to="+16175550000",
                from_="+16175397340",
                account_sid="AC" + "0" * 32,
            )
        wall = time.perf_counter() - started
        db.drop_all()
    print(f"database: {url.split(':')[0]}; {args.calls} calls in {wall:.2f} s")
    print(f"{'webhook':10} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'max SQL':>8}")
    for name, samples in sorted(transport.samples.items()):
        times = sorted(s[0] * 1000 for s in samples)
        p95 = times[int(0.95 * (len(times) - 1))]
        print(
            f"{name:10} {len(times):6d} {statistics.median(times):8.2f} {p95:8.2f} {times[-1]:8.2f} "
            f"{max(s[1] for s in samples):8d}"
        )


if __name__ == "__main__":
    main()
