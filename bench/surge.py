"""Benchmark: a surge — thousands press Call now within a minute — against the production stack.

Runs the stack as a PaaS runs it from the Procfile: the release phase (migrate, load data and
campaigns) on a fresh PostgreSQL database, two gunicorn processes (2 workers × 4 threads each, as
`web:`), and two dialer workers (`worker:`, DIALER_MODE=rq on Redis), against the Twilio REST
stand-in whose calls.create takes 0.4 s like the real one. Then N distinct supporters each open the
campaign page and submit the form, spread evenly over the window, from many threads at once.

Reports: submissions accepted, form p50/p99 (the POST), calls placed, duplicates, calls never
placed, the achieved calls per second against TWILIO_CPS, and the worst gap between a supporter's
place in line and the order they were dialed in. Loopback only; everything is torn down after.

    .venv/bin/python bench/surge.py [--submissions 5000] [--window 60] [--cps 20] \\
        [--database-url postgresql://postgres@127.0.0.1:5432/test] [--redis-url redis://127.0.0.1:6379/11]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
import sqlalchemy as sa
from redis import Redis
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config import default_data_dir  # noqa: E402
from tests.support.served_app import start_gunicorn, wait_until_up  # noqa: E402
from tests.support.twilio_standin import FakeTwilioRest  # noqa: E402

SID = "AC" + "9" * 32
TOKEN = "bench-auth-token"
CALLER_ID = "+16175397340"
FORM = "/c/protect-immigrant-families"
SURGE_START = [0.0]
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def phone(n: int) -> str:
    """The n-th distinct supporter's number (Boston 617-555-xxxx, 617-556-xxxx…)."""
    return f"+1617{555 + n // 10000}{n % 10000:04d}"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


class Submissions:
    """What the load generator saw: each supporter's POST latency, status and when it was sent."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: list[float] = []
        self.sent: list[float] = []  # seconds into the surge each POST was sent
        self.statuses: Counter[int] = Counter()
        self.accepted: list[str] = []

    def record(self, number: str, status: int, seconds: float, sent: float = 0.0) -> None:
        with self.lock:
            self.latency.append(seconds)
            self.sent.append(sent)
            self.statuses[status] += 1
            if status == 303:
                self.accepted.append(number)


def submit(base: str, number: str, at: float, seen: Submissions) -> None:
    """One supporter: open the campaign page, then press Call now."""
    delay = at - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    with requests.Session() as session:
        try:
            page = session.get(base + FORM, timeout=30)
            token = CSRF.search(page.text)
            data = {"phone": number, "location": "01003", "name": "", "town": ""}
            if token:
                data["csrf_token"] = token.group(1)
            started = time.perf_counter()
            response = session.post(base + FORM, data=data, allow_redirects=False, timeout=30)
            seen.record(number, response.status_code, time.perf_counter() - started, at - SURGE_START[0])
        except requests.RequestException:
            seen.record(number, 0, 30.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=5000)
    parser.add_argument("--window", type=float, default=60.0, help="seconds the submissions are spread over")
    parser.add_argument("--cps", type=float, default=20.0, help="TWILIO_CPS")
    parser.add_argument("--create-latency", type=float, default=0.4)
    parser.add_argument("--dialer-threads", type=int, default=8, help="DIALER_THREADS per worker")
    parser.add_argument("--clients", type=int, default=64, help="load generator threads")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    args = parser.parse_args()

    admin_url = make_url(args.database_url)
    name = f"surge_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    database_url = admin_url.set(database=name).render_as_string(hide_password=False)
    Redis.from_url(args.redis_url).flushdb()
    processes: list[subprocess.Popen] = []
    files = contextlib.ExitStack()
    rest = FakeTwilioRest(SID, TOKEN, owned_numbers=[CALLER_ID], create_latency=args.create_latency).start()
    ports = [free_port(), free_port()]
    try:
        env = {
            **os.environ,
            "APP_ENV": "production",
            "DATABASE_URL": database_url,
            "REDIS_URL": args.redis_url,
            "SECRET_KEY": "surge-bench-secret-key",
            "PHONE_HASH_KEY": "surge-bench-hash-key",
            "PHONE_ENCRYPTION_KEY": "surge-bench-encryption-key",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{ports[0]}",
            "SESSION_COOKIE_SECURE": "0",
            "TWILIO_ACCOUNT_SID": SID,
            "TWILIO_AUTH_TOKEN": TOKEN,
            "TWILIO_CALLER_ID": CALLER_ID,
            "TWILIO_API_BASE_URL": rest.base_url,
            "TWILIO_CPS": str(args.cps),
            "DIALER_MODE": "rq",
            "DIALER_THREADS": str(args.dialer_threads),
            "DIALER_INTERVAL": "1",
            "DATA_DIR": os.environ.get("DATA_DIR") or default_data_dir(),
            "CENSUS_GEOCODER_URL": "",
            # Every simulated supporter comes from 127.0.0.1: the per-address limit would stop them all.
            "RATE_LIMIT_PER_IP": "1000000 per hour",
            "RATE_LIMIT_FORMS_PER_IP": "1000000 per hour",
            "PROXY_HOPS": "0",
            "SUPPORTER_CALL_HOURS": "always",  # runs at any hour
        }
        for step in (["db", "upgrade"], ["data", "load"], ["campaign", "load"]):  # the release phase
            subprocess.run(
                [sys.executable, "-m", "flask", "--app", "app", *step],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        log = files.enter_context((ROOT / "instance" / "surge-bench.log").open("w"))
        for port in ports:  # web: two gunicorn processes, as two dynos
            processes.append(start_gunicorn(port, env, log))
        for _ in range(2):  # worker: two dialer workers
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "flask", "--app", "app", "dialer", "worker"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        for port, process in zip(ports, processes, strict=False):
            wait_until_up(f"http://127.0.0.1:{port}", process, seconds=60)

        seen = Submissions()
        start = time.monotonic() + 1
        SURGE_START[0] = start
        spacing = args.window / args.submissions
        with ThreadPoolExecutor(args.clients) as pool:
            for n in range(args.submissions):
                base = f"http://127.0.0.1:{ports[n % 2]}"
                pool.submit(submit, base, phone(n), start + n * spacing, seen)
        submitted_in = time.monotonic() - start

        # Wait for the line to drain: stop when every accepted call is placed, or nothing moves for 30 s.
        last_count, last_change = -1, time.monotonic()
        while len(rest.created()) < len(seen.accepted) and time.monotonic() - last_change < 30:
            count = len(rest.created())
            if count != last_count:
                last_count, last_change = count, time.monotonic()
            time.sleep(0.5)
        created = rest.created()
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        rest.stop()
        files.close()

    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        line = [row[0] for row in conn.execute(sa.text("SELECT id FROM calls ORDER BY created_at, id"))]
        placed = conn.execute(sa.text("SELECT twilio_sid, id FROM calls WHERE twilio_sid IS NOT NULL")).all()
        sids: dict[str, int] = {str(row[0]): int(row[1]) for row in placed}
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()

    dialed = Counter(c.params["To"] for c in created)
    duplicates = sum(n - 1 for n in dialed.values() if n > 1)
    never = len(set(seen.accepted) - set(dialed))
    span = created[-1].created_at - created[0].created_at if len(created) > 1 else 0.0
    achieved = (len(created) - 1) / span if span else 0.0
    place = {call_id: n for n, call_id in enumerate(line)}
    dial_order = [place[sids[c.sid]] for c in created if c.sid in sids]
    worst = max((abs(p - n) for n, p in enumerate(dial_order)), default=0)
    ms = [t * 1000 for t in seen.latency]
    print(
        f"surge: {args.submissions} supporters over {args.window:.0f} s (sent in {submitted_in:.1f} s); "
        f"TWILIO_CPS {args.cps:g}; calls.create {args.create_latency:g} s; PostgreSQL + Redis; "
        f"2 gunicorn x 2 workers x 4 threads; 2 dialer workers x {args.dialer_threads} threads"
    )
    print(f"submissions accepted: {len(seen.accepted)} of {args.submissions} (statuses {dict(seen.statuses)})")
    print(f"form POST ms: p50 {statistics.median(ms):.0f}, p99 {percentile(ms, 0.99):.0f}, max {max(ms):.0f}")
    slowest = sorted(zip(ms, seen.sent, strict=True), reverse=True)[:10]
    print("slowest POSTs (ms @ s into the surge): " + ", ".join(f"{m:.0f} @ {s:.1f}" for m, s in slowest))
    print(f"calls placed: {len(created)}; duplicates: {duplicates}; never placed: {never}")
    print(
        f"achieved CPS: {achieved:.2f} against {args.cps:g} ({100 * (achieved / args.cps - 1):+.1f}%) over {span:.1f} s"
    )
    print(f"worst gap between place in line and dial order: {worst}")


if __name__ == "__main__":
    main()
