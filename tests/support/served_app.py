"""The app served as `make run` serves it: migrated, loaded SQLite behind gunicorn, on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import requests

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _flask(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def run_flask(running: dict, *args: str, stdin: str | None = None) -> str:
    """Run a `flask …` command against a served app's database and settings; returns what it printed."""
    return _flask(running["env"], *args, stdin=stdin)


@contextmanager
def running_app(folder: Path, ma_data_dir: Path, **settings: str):
    """Serve the app as `make run` does (migrated, loaded SQLite; gunicorn) with extra settings."""
    database = folder / "browser.sqlite3"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "APP_ENV": "development",
        "DATABASE_URL": f"sqlite:///{database}",
        "DATA_DIR": str(ma_data_dir.parent),
        "SECRET_KEY": "browser-test-secret",
        "PHONE_HASH_KEY": "browser-test-hash",
        "PHONE_ENCRYPTION_KEY": "browser-test-encryption",
        "PUBLIC_BASE_URL": "",
        "TWILIO_ACCOUNT_SID": "",
        "TWILIO_AUTH_TOKEN": "",
        "TWILIO_CALLER_ID": "",
        "TWILIO_API_BASE_URL": "",
        # The network is closed: no street-address lookups from these tests.
        "CENSUS_GEOCODER_URL": "",
        "PROXY_HOPS": "0",
        "SUPPORTER_CALL_HOURS": "always",  # runs at any hour
        "OFFICE_HOURS": "always",  # every office open, whatever the hour (the office-hours browser test sets them)
        # One browser, one address and one number submit the form many times across a module.
        "RATE_LIMIT_PER_IP": "1000 per hour",
        "RATE_LIMIT_FORMS_PER_IP": "1000 per hour",
        "RATE_LIMIT_PER_NUMBER": "1000 per day",
        **{name: value.format(base=base) for name, value in settings.items()},
    }
    _flask(env, "db", "upgrade")
    _flask(env, "data", "load")
    _flask(env, "campaign", "load")
    log_path = folder / "gunicorn.log"
    with open(log_path, "w") as log:
        process = start_gunicorn(port, env, log)
        try:
            wait_until_up(base, process, log_path)
            yield {"url": base, "database": database, "log": log_path, "env": env}
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def start_gunicorn(
    port: int,
    env: dict[str, str],
    log: IO[str] | None = None,
    target: str = "app:app",
    cwd: Path = ROOT,
    threads: int = 4,
) -> subprocess.Popen:
    """`gunicorn app:app` (or another ``target`` in ``cwd``) on 127.0.0.1:port with two workers of four
    threads, as the Procfile's web process (``threads=1``: gunicorn's sync workers)."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            target,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            str(threads),
        ],
        cwd=cwd,
        env=env,
        stdout=log,
        stderr=None if log is None else subprocess.STDOUT,
    )


def wait_until_up(base: str, process: subprocess.Popen, log_path: Path | None = None, seconds: float = 30) -> None:
    """Wait for /healthz to answer 200; fail with the server's log if it exits or never answers."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if requests.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not start" + (":\n" + log_path.read_text() if log_path else ""))
