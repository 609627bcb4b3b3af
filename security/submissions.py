"""What the supporter form calls to decide whether a submission may become a call.

pages/routes.py `start_call` is wired like this::

    @bp.post("/c/<slug>")
    @limit_submissions_per_ip                                   # RATE_LIMIT_PER_IP, then the 429 page
    def start_call(slug):
        if (screened := screen_form(request.form)) is not None:  # honeypot (decoy), CAPTCHA
            return screened
        ...
        admit = lambda phone_hash: check_submission(db.session, found, phone_hash, client_ip())
        outcome = request_call(..., admit=admit)
        if outcome.refused is not None:                          # blocklist, RATE_LIMIT_PER_NUMBER
            return refusal_response(outcome.refused)

Every refusal a person could hit says the same kind sentence; which rule refused is only logged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass

from flask import Response, current_app, request
from limits import parse

from extensions import limiter
from models import Campaign, DbSession
from security import captcha
from security.blocklist import is_blocked
from security.honeypot import honeypot_tripped
from security.notices import notice_response

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Refusal:
    """A submission that must not become a call: the HTTP status, the notice shown, and (for the log) why."""

    status: int
    notice: str
    reason: str
    retry_after: int | None = None


def client_ip() -> str:
    """The client's address as the rate limits and the blocklist see it (ProxyFix has applied X-Forwarded-For)."""
    return request.remote_addr or ""


def _per_ip_limit() -> str:
    return current_app.config["RATE_LIMIT_PER_IP"]


# The per-IP limit on submissions, counted on POST only (looking at the page is free).
limit_submissions_per_ip = limiter.limit(
    _per_ip_limit, key_func=client_ip, methods=["POST"], scope="submissions-per-ip"
)


def check_submission(session: DbSession, campaign: Campaign, phone_hash: str, ip: str | None = None) -> Refusal | None:
    """None when this number may start a call for this campaign now; else the Refusal. Counts one call."""
    if is_blocked(session, phone_hash, ip):
        log.info("submission refused (blocklist) for campaign %s", campaign.slug)
        # Exactly what a rate-limited supporter gets: a block is not revealed.
        return Refusal(429, "limited", "blocked")
    item = parse(current_app.config["RATE_LIMIT_PER_NUMBER"])
    # Keyed on the keyed hash and the campaign: the raw number never reaches Redis.
    keys = ("patchthrough-number", str(campaign.id), phone_hash)
    try:
        allowed = limiter.limiter.hit(item, *keys)
    except Exception:  # Redis down: keep taking calls (the per-IP limit falls back to memory too)
        log.warning("per-number rate limit unavailable; submission allowed", exc_info=True)
        return None
    if not allowed:
        reset_at, _ = limiter.limiter.get_window_stats(item, *keys)
        retry = max(1, int(reset_at - time.time()))
        log.info("submission refused (per-number limit %s) for campaign %s", item, campaign.slug)
        return Refusal(429, "limited", "rate_number", retry_after=retry)
    return None


def screen_form(form: Mapping[str, str]) -> Response | None:
    """Before anything else: a decoy answer for a bot that filled the honeypot, a kind page for a failed CAPTCHA."""
    if honeypot_tripped(form):
        log.info("submission refused (honeypot)")
        return refusal_response(Refusal(200, "received", "honeypot"))
    result = captcha.verify(current_app.config, form, client_ip())
    if not result.ok:
        log.info("submission refused (CAPTCHA %s: %s)", result.error, ",".join(result.codes))
        if result.error == "unavailable":
            return refusal_response(Refusal(503, "captcha_unavailable", "captcha_unavailable", retry_after=60))
        return refusal_response(Refusal(422, "captcha_failed", f"captcha_{result.error}"))
    return None


def refusal_response(refusal: Refusal) -> Response:
    """The kind page for a refusal, with its status (and Retry-After when we know it)."""
    return notice_response(refusal.notice, refusal.status, refusal.retry_after)
