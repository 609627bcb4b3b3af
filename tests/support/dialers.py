"""Dialer processes for multi-process tests: the environment they build their app from, and starting them."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support.served_app import ROOT
from tests.support.settings import CAMPAIGN_NUMBER, TWILIO_SID, TWILIO_TOKEN


def dialer_env(database_url: str, rest_url: str) -> dict[str, str]:
    """The environment a `flask dialer` process builds its app from."""
    return {
        **os.environ,
        "APP_ENV": "development",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "PUBLIC_BASE_URL": "https://patchthrough.example.org",
        "PHONE_HASH_KEY": "test-phone-hash-key",
        "PHONE_ENCRYPTION_KEY": "test-phone-encryption-key",
        "TWILIO_ACCOUNT_SID": TWILIO_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_CALLER_ID": CAMPAIGN_NUMBER,
        "TWILIO_API_BASE_URL": rest_url,
        "TWILIO_CPS": "1000",
        "REDIS_URL": "",
        "SUPPORTER_CALL_HOURS": "always",  # tests run at any hour
    }


def start_dialer(env: dict[str, str], *args: str, quiet: bool = False) -> subprocess.Popen:
    """`flask dialer ARGS` in its own process (stderr kept for the failure message unless quiet)."""
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "dialer", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL if quiet else subprocess.PIPE,
    )


def run_dialers_once(env: dict[str, str], count: int = 2) -> None:
    """Start `count` `flask dialer run --once` processes together and wait for each to succeed."""
    dialers = [start_dialer(env, "run", "--once") for _ in range(count)]
    for process in dialers:
        _, err = process.communicate(timeout=60)
        assert process.returncode == 0, err.decode()[-2000:]


def status_params(sid: str, status: str, sequence: int, **extra: str) -> dict[str, str]:
    """A status callback as Twilio posts it."""
    return {"CallSid": sid, "AccountSid": TWILIO_SID, "CallStatus": status, "SequenceNumber": str(sequence), **extra}
