"""Rate limits hold across gunicorn workers when they share Redis."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from redis import Redis

from tests.support.factories import make_campaign
from tests.support.settings import REDIS_URL

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gunicorn(make_app, database_url, tmp_path):
    """Two gunicorn workers on a free port, sharing Redis for their limits; yields (base URL, campaign slug)."""
    Redis.from_url(REDIS_URL).flushdb()
    app = make_app()
    with app.app_context():
        slug = make_campaign().slug
        from extensions import db

        db.session.commit()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "test-secret-key",
        "PHONE_HASH_KEY": "test-phone-hash-key",
        "PHONE_ENCRYPTION_KEY": "test-phone-encryption-key",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "RATE_LIMIT_PER_IP": "10 per hour",
        "RATE_LIMIT_PER_NUMBER": "3 per day",
        "TWILIO_ACCOUNT_SID": "",
        "TWILIO_AUTH_TOKEN": "",
        "PROXY_HOPS": "1",
    }
    log = tmp_path / "gunicorn.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tests.support.gunicorn_form_app:app",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--error-logfile",
            str(log),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(base + "/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.1)
        yield base, slug
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        Redis.from_url(REDIS_URL).flushdb()


@pytest.mark.redis
@pytest.mark.slow
def test_ten_submissions_per_address_across_two_workers(gunicorn):
    base, slug = gunicorn

    def post(n: int) -> requests.Response:
        return requests.post(
            f"{base}/standin/c/{slug}",
            data={"phone": f"+1617555{n:04d}"},
            headers={"X-Forwarded-For": "198.51.100.23", "Connection": "close"},
            timeout=10,
        )

    # Concurrent, and each slow enough that both workers must take some.
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(post, range(16)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] * 10 + [429] * 6
    workers = {r.headers["X-Worker-Pid"] for r in responses}
    assert len(workers) == 2, "both workers should have served requests"
    accepted_by = {r.headers["X-Worker-Pid"] for r in responses if r.status_code == 201}
    refused_by = {r.headers["X-Worker-Pid"] for r in responses if r.status_code == 429}
    assert accepted_by and refused_by
