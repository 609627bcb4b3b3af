"""Pacing: calls are handed to Twilio no faster than TWILIO_CPS per second, across every dialer process.

Twilio places at most the account's calls per second and queues the rest; asking faster only hides
the real line from the supporters. So every dialer (web processes' threads, RQ workers, `flask
dialer run`) reserves a slot in one shared schedule before it claims the oldest due call: the
schedule's next slot moves on by 1 / TWILIO_CPS with each reservation (a token bucket that holds
one token, i.e. no bursts). The schedule lives in Redis when REDIS_URL is set (one atomic script),
in the database otherwise (a compare-and-set on one row). Twilio's 429 / 20429 pushes the schedule
back further.
"""

from __future__ import annotations

import logging
import time
from typing import Protocol

from flask import Flask
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import select, update

from extensions import db
from models import DialerPace, insert_ignoring_conflicts, rows_changed

log = logging.getLogger(__name__)

SCHEDULE = "calls"
REDIS_KEY = "patchthrough:dialer:next-slot"
# Reserve the next slot and answer how long to wait for it, on Redis's own clock (one atomic step).
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local slot = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
redis.call('SET', KEYS[1], string.format('%.6f', slot + tonumber(ARGV[1])), 'EX', 86400)
return string.format('%.6f', slot - now)
"""


class Pacer(Protocol):
    """A shared schedule of call slots."""

    def reserve(self, spacing: float) -> float:
        """Take the next slot and move the schedule on by `spacing` seconds; returns seconds to wait for it."""
        ...


class DatabasePacer:
    """The schedule as one row, moved on by compare-and-set so concurrent dialers never share a slot."""

    def reserve(self, spacing: float) -> float:
        """Take the next slot; returns seconds to wait for it."""
        for _ in range(100):
            now = time.time()
            current = db.session.scalar(select(DialerPace.next_slot).where(DialerPace.name == SCHEDULE))
            if current is None:
                insert_ignoring_conflicts(db.session, DialerPace, ["name"], name=SCHEDULE, next_slot=0.0)
                db.session.commit()
                continue
            slot = max(current, now)
            changed = rows_changed(
                db.session,
                update(DialerPace)
                .where(DialerPace.name == SCHEDULE, DialerPace.next_slot == current)
                .values(next_slot=slot + spacing),
            )
            db.session.commit()
            if changed:
                return slot - now
        raise RuntimeError("could not reserve a dialing slot")  # 100 lost races in a row


class RedisPacer:
    """The schedule in Redis: one script reserves a slot atomically on Redis's clock."""

    def __init__(self, url: str) -> None:
        self.redis = Redis.from_url(url)
        self.script = self.redis.register_script(_RESERVE)

    def reserve(self, spacing: float) -> float:
        """Take the next slot; returns seconds to wait for it."""
        return float(self.script(keys=[REDIS_KEY], args=[spacing]))


class FallbackPacer:
    """Redis when it answers, the database when it does not: a Redis outage must not stop the dialer."""

    def __init__(self, primary: Pacer, fallback: Pacer) -> None:
        self.primary, self.fallback = primary, fallback

    def reserve(self, spacing: float) -> float:
        """Take the next slot from Redis, or from the database while Redis is down."""
        try:
            return self.primary.reserve(spacing)
        except (RedisError, OSError):
            log.warning("pacing falls back to the database: Redis is unavailable")
            return self.fallback.reserve(spacing)


def pacer_for(app: Flask) -> Pacer:
    """The app's shared schedule (one per app, kept in app.extensions)."""
    pacer = app.extensions.get("dialer_pacer")
    if pacer is None:
        url = app.config.get("REDIS_URL")
        pacer = FallbackPacer(RedisPacer(url), DatabasePacer()) if url else DatabasePacer()
        app.extensions["dialer_pacer"] = pacer
    return pacer


def spacing(app: Flask) -> float:
    """Seconds between two calls: 1 / TWILIO_CPS."""
    return 1.0 / float(app.config["TWILIO_CPS"])


def wait_for_slot(app: Flask) -> None:
    """Block until this dialer's turn to hand a call to Twilio."""
    wait = pacer_for(app).reserve(spacing(app))
    if wait > 0:
        time.sleep(wait)


def slow_down(app: Flask, seconds: float) -> None:
    """Twilio said too many requests: push the shared schedule back by `seconds` for every dialer."""
    pacer_for(app).reserve(seconds)
    log.warning("Twilio asked us to slow down: the next call waits %.1f s more", seconds)
