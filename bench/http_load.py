"""Benchmark: whole calls played over real HTTP against gunicorn, many at once, as during a campaign's busiest hour.

Starts the app the way the Procfile does (gunicorn, 2 workers × 4 threads) on a loopback port, creates
the calls, then plays them with the simulator from several threads at once, each webhook signed as
Twilio signs it. Prints webhook latency percentiles and calls per second. Loopback only; bounded.

    .venv/bin/python bench/http_load.py [--calls 300] [--concurrency 16] [--database-url postgresql+psycopg://…]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from bench.scenario import INPUTS, app_settings, dial_scenario, seed_calls, served_env  # noqa: E402
from extensions import db  # noqa: E402
from tests.support.served_app import start_gunicorn, wait_until_up  # noqa: E402
from tests.support.settings import TWILIO_TOKEN  # noqa: E402
from voicesim import CallSimulator, RequestsTransport  # noqa: E402

SID = "AC" + "0" * 32


class TimedTransport(RequestsTransport):
    """Real HTTP, timing each webhook."""

    def __init__(self, concurrency: int) -> None:
        session = requests.Session()
        session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=concurrency))
        super().__init__(timeout=15.0, session=session)
        self.times: list[float] = []
        self.lock = threading.Lock()

    def send(self, method, url, form, headers):
        start = time.perf_counter()
        try:
            return super().send(method, url, form, headers)
        finally:
            with self.lock:
                self.times.append(time.perf_counter() - start)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = app_settings(url, base)
    app = create_app(settings)
    with app.app_context():
        ids = seed_calls(app, args.calls)
    server = start_gunicorn(port, served_env(url, base))
    try:
        wait_until_up(base, server)
        transport = TimedTransport(args.concurrency)

        def play(public_id: str) -> str | None:
            sim = CallSimulator(transport, TWILIO_TOKEN, dial_scenario=dial_scenario())
            record = sim.run(
                f"{base}/twilio/calls/{public_id}/answered",
                INPUTS,
                on_exhausted="silence",
                to="+16175550000",
                from_="+16175397340",
                account_sid=SID,
            )
            return record.end_reason

        started = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            outcomes = list(pool.map(play, ids))
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=10)
    times = sorted(t * 1000 for t in transport.times)
    pct = lambda p: times[min(len(times) - 1, int(p * len(times)))]  # noqa: E731
    print(f"database: {url.split(':')[0]}; gunicorn 2 workers x 4 threads; {args.concurrency} calls at once")
    print(
        f"{args.calls} calls, {len(times)} webhooks in {wall:.1f} s: {args.calls / wall:.1f} calls/s, "
        f"{len(times) / wall:.0f} webhooks/s; every call ended by hangup: {set(outcomes) == {'hangup'}}"
    )
    print(
        f"webhook latency ms: p50 {statistics.median(times):.1f}, p95 {pct(0.95):.1f}, p99 {pct(0.99):.1f}, "
        f"max {times[-1]:.1f}"
    )
    with create_app(settings).app_context():
        db.drop_all()


if __name__ == "__main__":
    main()
