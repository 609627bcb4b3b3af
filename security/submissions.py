"""What the supporter form calls to decide whether a submission may become a call.

pages/routes.py `start_call` is wired like this::

    @bp.post("/c/<slug>")
    @limit_submissions_per_ip                                   # RATE_LIMIT_FORMS_PER_IP, then the 429 page
    def start_call(slug):
        if (screened := screen_form(request.form)) is not None:  # honeypot (decoy), CAPTCHA
            return screened
        ...
        admit = lambda phone_hash, listed: check_submission(db.session, found, phone_hash, client_ip(), listed)
        outcome = request_call(..., admit=admit)                 # reads the blocklist with the caller's upsert
        if outcome.refused is not None:                          # blocklist, per-number and per-IP calls
            return refusal_response(outcome.refused)

Every refusal a person could hit says the same kind sentence; which rule refused is only logged.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask import Response, current_app, request
from limits import parse

from extensions import limiter
from models import Campaign, DbSession
from security import captcha
from security.blocklist import BlocklistRead, is_blocked
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


def client_network(ip: str | None = None) -> str:
    """What the per-IP limit counts: an IPv4 address, or the /64 an IPv6 address belongs to.

    One IPv6 subscriber is handed a whole /64 (or more), so counting single addresses would let
    anyone rotate through 2**64 of them.
    """
    ip = client_ip() if ip is None else ip
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _forms_per_ip_limit() -> str:
    return current_app.config["RATE_LIMIT_FORMS_PER_IP"]


# Forms sent per address, counted on POST only (looking at the page is free). Loose on purpose: a rally or a
# campus on one Wi-Fi sends typos and district questions; the calls each address starts are counted in
# check_submission, atomically, as each call is admitted.
limit_submissions_per_ip = limiter.limit(
    _forms_per_ip_limit, key_func=client_network, methods=["POST"], scope="submissions-per-ip"
)


def check_submission(
    session: DbSession,
    campaign: Campaign,
    phone_hash: str,
    ip: str | None = None,
    listed: BlocklistRead | None = None,
) -> Refusal | None:
    """None when this number may start a call for this campaign now; else the Refusal. Counts one call.
    ``listed``: the blocklist as already read for this number (with the caller's upsert); else it is read here."""
    blocked = listed.blocks(ip) if listed is not None else is_blocked(session, phone_hash, ip)
    if blocked:
        log.info("submission refused (blocklist) for campaign %s", campaign.slug)
        # Exactly what a rate-limited supporter gets, wait included (a whole window): a block is not revealed.
        window = parse(current_app.config["RATE_LIMIT_PER_NUMBER"]).get_expiry()
        return Refusal(429, "limited", "blocked", retry_after=window)
    # Keyed on the keyed hash (and the campaign): the raw number never reaches Redis.
    limits = [
        ("RATE_LIMIT_PER_NUMBER", ("patchthrough-number", str(campaign.id), phone_hash), "rate_number"),
        ("RATE_LIMIT_PER_NUMBER_ALL", ("patchthrough-number-all", phone_hash), "rate_number_all"),
    ]
    if ip is not None:
        # Calls started per address: counted here, as the call is admitted, so concurrent forms cannot overrun it.
        limits.append(("RATE_LIMIT_PER_IP", ("patchthrough-ip", client_network(ip)), "rate_ip"))
    for setting, keys, reason in limits:
        item = parse(current_app.config[setting])
        try:
            allowed = limiter.limiter.hit(item, *keys)
        except Exception:  # Redis down: keep taking calls (the per-IP limit falls back to memory too)
            log.warning("per-number rate limit unavailable; submission allowed", exc_info=True)
            return None
        if not allowed:
            reset_at, _ = limiter.limiter.get_window_stats(item, *keys)
            retry = max(1, int(reset_at - time.time()))
            log.info("submission refused (%s %s) for campaign %s", setting, item, campaign.slug)
            return Refusal(429, "limited", reason, retry_after=retry)
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


def refusal_response(refusal: Refusal, offices: Sequence[object] = ()) -> Response:
    """The kind page for a refusal, with its status (and Retry-After when we know it), and the offices to dial
    themselves when the lookup already found them (targets with `title`, `name`, `phone`, `extension`)."""
    return notice_response(refusal.notice, refusal.status, refusal.retry_after, offices)
