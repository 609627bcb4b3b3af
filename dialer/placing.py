"""Placing calls: take queued calls from the database, ask Twilio's REST API to dial them, retry what is transient.

The queued Call row is the source of truth. A dialer claims a call with a conditional UPDATE
(so two workers never dial the same call), asks Twilio, and records the answer. If the process
dies between claiming and recording, the claim lapses; the next dialer first asks Twilio whether
the call was placed after all, and only dials when it was not — no call is ever dialed twice.
A request whose answer never came (a timeout, a dropped connection, a 5xx) is treated the same
way: Twilio may have placed the call, so the claim is left lapsed rather than released, and the
retry asks Twilio first.

Defence in depth: whatever the form accepted, the number is checked again against the number
rules (allowed countries, no premium-rate or other special numbers) before Twilio is asked.

Two drivers run the same `run_due()`: a thread inside each web process (`dialer.thread`, the
default), or RQ workers when DIALER_MODE=rq (`dialer.queue`).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import requests
from flask import Flask
from sqlalchemy import and_, func, or_, select, update
from twilio.base.exceptions import TwilioException, TwilioRestException

from callflow import vocabulary
from callflow.urls import public_url
from dialer.pacing import slow_down, wait_for_slot
from dialer.twilio_client import client_from_config
from extensions import db, this_app
from models import Call, CallStatus, rows_changed, utcnow
from phones import Refused, classify, parse_allowed_countries
from phones.hours import ALWAYS, ring_time
from privacy import PhoneVault
from voicesim.vocabulary import STATUS_CALLBACK_EVENTS

log = logging.getLogger(__name__)

# How long a claim protects a call; a dialer that has not recorded an answer by then is presumed dead.
CLAIM_LEASE = timedelta(seconds=90)
# Twilio error codes and HTTP statuses worth trying again.
TRANSIENT_CODES = frozenset({20429, 20500, 20503, 31205})
TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})
STATUS_EVENTS = list(STATUS_CALLBACK_EVENTS)
# Calls one pass may hand over (the pace sets how long that takes), and candidates tried per slot.
PASS_LIMIT = 1000
CANDIDATES = 5
# How far Twilio's "Too Many Requests" pushes the shared schedule back.
SLOW_DOWN_SECONDS = 2.0


@dataclass(frozen=True)
class DialerSettings:
    """How the dialer behaves; read from the app config."""

    max_attempts: int
    backoff_base: float
    backoff_max: float
    give_up_after: timedelta
    ring_timeout: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> DialerSettings:
        """Settings from the DIALER_* config keys (config.py reads them and gives their defaults)."""
        return cls(
            max_attempts=config["DIALER_MAX_ATTEMPTS"],
            backoff_base=config["DIALER_BACKOFF_BASE"],
            backoff_max=config["DIALER_BACKOFF_MAX"],
            give_up_after=timedelta(seconds=config["DIALER_GIVE_UP_AFTER"]),
            ring_timeout=config["DIALER_RING_TIMEOUT"],
        )


def twilio_configured(app: Flask) -> bool:
    """True when the app can place real calls."""
    c = app.config
    return bool(c.get("TWILIO_ACCOUNT_SID") and c.get("TWILIO_AUTH_TOKEN"))


def backoff(attempt: int, settings: DialerSettings) -> timedelta:
    """Exponential backoff with jitter, so many retries don't hit Twilio in the same second."""
    delay = min(settings.backoff_max, settings.backoff_base * 2 ** max(0, attempt - 1))
    return timedelta(seconds=delay * random.uniform(0.75, 1.25))


def due_call_ids(now: datetime, limit: int = 50, exclude: Collection[int] = ()) -> list[int]:
    """Queued real calls (never a preview) whose time has come and that no live dialer holds, oldest first."""
    return list(
        db.session.scalars(
            select(Call.id)
            .where(
                Call.status == CallStatus.queued,
                Call.preview.is_(False),
                Call.id.not_in(exclude),
                or_(Call.next_attempt_at.is_(None), Call.next_attempt_at <= now),
                or_(Call.scheduled_for.is_(None), Call.scheduled_for <= now),
                or_(Call.dialing_since.is_(None), Call.dialing_since <= now - CLAIM_LEASE),
            )
            .order_by(Call.created_at)
            .limit(limit)
        )
    )


def claim(call_id: int, now: datetime) -> tuple[bool, bool]:
    """Take a call for dialing; returns (claimed, a previous claim lapsed unresolved).

    One conditional UPDATE decides: the call must be unclaimed, or hold exactly the lapsed claim
    we saw. A fresh claim is never taken, however stale the list of due calls this dialer works
    from (on PostgreSQL the UPDATE re-checks its WHERE on the locked row; SQLite runs one writer).
    """
    observed = db.session.scalar(select(Call.dialing_since).where(Call.id == call_id))
    if observed is not None and observed > now - CLAIM_LEASE:
        db.session.rollback()
        return False, False
    condition = (
        Call.dialing_since.is_(None)
        if observed is None
        else and_(Call.dialing_since == observed, Call.dialing_since <= now - CLAIM_LEASE)
    )
    changed = rows_changed(
        db.session,
        update(Call)
        .where(
            Call.id == call_id,
            Call.status == CallStatus.queued,
            Call.preview.is_(False),
            condition,
            or_(Call.next_attempt_at.is_(None), Call.next_attempt_at <= now),
        )
        .values(dialing_since=now, dial_attempts=Call.dial_attempts + 1),
    )
    db.session.commit()
    return changed == 1, observed is not None


def run_due(app: Flask | None = None, now: datetime | None = None, limit: int = PASS_LIMIT) -> int:
    """Dial due calls, oldest first, one per slot of the shared pace; returns how many were handled.

    The slot is taken before the call is chosen, so whichever dialer's turn it is claims the oldest
    call still waiting: supporters are dialed in the order they asked, whatever the number of dialers.
    """
    app = app or this_app()
    if not twilio_configured(app):
        return 0
    handled = 0
    tried: set[int] = set()  # one attempt per call per pass: a retry waits for the next pass
    for _ in range(limit):
        if not due_call_ids(now or utcnow(), limit=1, exclude=tried):
            break
        wait_for_slot(app)
        # Another dialer may claim a candidate first: the slot goes to the next oldest.
        for call_id in due_call_ids(now or utcnow(), limit=CANDIDATES, exclude=tried):
            tried.add(call_id)
            if dial_one(app, call_id, now=now):
                handled += 1
                break
    return handled


def dial_one(app: Flask, call_id: int, now: datetime | None = None) -> bool:
    """Claim one call and ask Twilio to place it; False when another dialer has it or it is not due."""
    now = now or utcnow()
    claimed, lapsed = claim(call_id, now)
    if not claimed:
        return False
    settings = DialerSettings.from_config(app.config)
    call = db.session.get_one(Call, call_id)
    phone = PhoneVault.from_config(app.config).decrypt(call.phone_encrypted) if call.phone_encrypted else None
    if phone is None:
        _fail(call, "the supporter's number could not be read")
        return True
    verdict = classify(phone, parse_allowed_countries(app.config.get("ALLOWED_COUNTRIES") or "US"))
    if isinstance(verdict, Refused):
        _fail(call, f"refused to dial the supporter's number: {verdict.reason}")
        return True
    # A time the supporter chose (when the offices open) is theirs: their quiet hours do not hold it back.
    hours = (
        ALWAYS
        if call.chose_time
        else call.campaign.supporter_call_hours or app.config.get("SUPPORTER_CALL_HOURS") or ALWAYS
    )
    if (morning := ring_time(phone, now, hours, call.campaign.timezone)) is not None:
        _wait_until(call, morning)  # its turn came after the supporter's evening ended
        return True
    caller_id = call.campaign.caller_id or app.config.get("TWILIO_CALLER_ID")
    if not caller_id:
        _fail(call, "no caller ID: set TWILIO_CALLER_ID or the campaign's caller_id")
        return True
    client = client_from_config(app.config)
    try:
        if lapsed and _adopt_existing(client, call, phone, caller_id):
            return True
        created = client.calls.create(
            to=phone,
            from_=caller_id,
            url=public_url(app, "callflow.voice", public_id=call.public_id, event=vocabulary.EVENT_ANSWERED),
            method="POST",
            status_callback=public_url(app, "callflow.status", public_id=call.public_id),
            status_callback_method="POST",
            status_callback_event=STATUS_EVENTS,
            # Asynchronous detection: the greeting starts the moment the call is answered (no
            # dead air while Twilio listens); the verdict comes to its own webhook.
            machine_detection="Enable",
            async_amd="true",
            async_amd_status_callback=public_url(app, "callflow.machine_detection", public_id=call.public_id),
            async_amd_status_callback_method="POST",
            timeout=settings.ring_timeout,
        )
    except TwilioRestException as exc:
        if exc.status == 429 or exc.code == 20429:
            slow_down(app, SLOW_DOWN_SECONDS)
        if exc.status in TRANSIENT_STATUSES or exc.code in TRANSIENT_CODES:
            # A 429 means Twilio turned the request away; a 5xx may have come after the call was made.
            _retry_later(
                call,
                now,
                settings,
                f"Twilio answered {exc.status} (code {exc.code})",
                outcome_unknown=exc.status != 429,
            )
        else:
            _fail(call, f"Twilio refused the call: code {exc.code}, {str(exc.msg)[:200]}")
        return True
    except (TwilioException, requests.RequestException, OSError) as exc:
        # A timeout or a dropped connection says nothing about whether Twilio placed the call.
        _retry_later(call, now, settings, f"Twilio could not be reached ({type(exc).__name__})", outcome_unknown=True)
        return True
    _placed(call, created.sid)
    return True


def _adopt_existing(client, call: Call, phone: str, caller_id: str) -> bool:
    """After a lapsed claim, find a call Twilio already placed for this one, so it is not dialed twice."""
    candidates = [
        c
        for c in client.calls.list(to=phone, limit=20)
        if c._from == caller_id
        and c.date_created is not None
        and c.date_created >= call.created_at - timedelta(seconds=5)
    ]
    # The same supporter may have asked twice: a call another row already owns is not this one's.
    owned = set(db.session.scalars(select(Call.twilio_sid).where(Call.twilio_sid.in_([c.sid for c in candidates]))))
    for existing in candidates:
        if existing.sid not in owned:
            log.info("call %s: adopting the call Twilio already placed", call.public_id)
            _placed(call, existing.sid)
            return True
    return False


def _placed(call: Call, sid: str) -> None:
    """Twilio accepted the call: remember its SID; the status callbacks take it from here."""
    db.session.execute(
        update(Call).where(Call.id == call.id, Call.status == CallStatus.queued).values(status=CallStatus.initiated)
    )
    db.session.execute(
        update(Call)
        .where(Call.id == call.id)
        .values(
            twilio_sid=func.coalesce(Call.twilio_sid, sid), dialing_since=None, dialed_at=utcnow(), failure_reason=None
        )
    )
    db.session.commit()
    log.info("call %s: placed with Twilio", call.public_id)


def _wait_until(call: Call, moment: datetime) -> None:
    """Put a claimed call back in the queue, not to be dialed before ``moment``."""
    call.scheduled_for = moment
    call.dialing_since = None
    db.session.commit()
    log.info("call %s: outside the supporter's call hours, waiting until %s", call.public_id, moment.isoformat())


def _retry_later(
    call: Call, now: datetime, settings: DialerSettings, reason: str, outcome_unknown: bool = False
) -> None:
    """A transient failure: try again after a backoff, or give up when it has taken too long.

    With ``outcome_unknown`` the claim is left in place but already lapsed, exactly as if this
    dialer had died: the next claim then sees a lapsed claim and asks Twilio for the call first.
    """
    asked_for = max(call.created_at, call.scheduled_for or call.created_at)  # a scheduled call: from its time
    if call.dial_attempts >= settings.max_attempts or now - asked_for >= settings.give_up_after:
        # Giving up on a request whose outcome is unknown: if Twilio did place it, its status
        # callbacks still arrive, but a failed call ignores them; the supporter's phone may ring once.
        _fail(call, f"gave up after {call.dial_attempts} attempts: {reason}")
        return
    call.dialing_since = now - CLAIM_LEASE if outcome_unknown else None
    call.next_attempt_at = now + backoff(call.dial_attempts, settings)
    call.failure_reason = reason
    db.session.commit()
    log.warning("call %s: %s; retrying at %s", call.public_id, reason, call.next_attempt_at.isoformat())


def _fail(call: Call, reason: str) -> None:
    """A permanent failure: the call is failed, with the reason, and the number is erased."""
    call.status = CallStatus.failed
    call.failure_reason = reason[:300]
    call.dialing_since = None
    call.phone_encrypted = None
    call.ended_at = utcnow()
    db.session.commit()
    log.warning("call %s failed: %s", call.public_id, reason)
