"""The console's webhooks page: a campaign's endpoints (added, secret shown once, rolled, removed) and each event's
delivery attempts, with Redeliver. Thin routes: the work is in `webhooks.endpoints` and `webhooks.delivery`."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from console import audit
from console.access import current_user, requires
from console.routes import campaign_or_404
from extensions import db
from languages.web import gettext as _
from languages.web import say, when
from models import Campaign, Role, WebhookEndpoint, utcnow
from webhooks.delivery import redeliver
from webhooks.endpoints import (
    MAX_ENDPOINTS,
    add_endpoint,
    endpoints,
    find_endpoint,
    find_event,
    recent_events,
    roll_secret,
)
from webhooks.queue import dispatch
from webhooks.signing import SIGNATURE_HEADER, SecretBox

bp = Blueprint("console_webhooks", __name__, url_prefix="/console")


@bp.after_request
def _private(response):
    # A page that once shows a signing secret must never be kept by a cache.
    response.headers["Cache-Control"] = "no-store"
    return response


def _endpoint_or_404(slug: str, endpoint_id: int) -> tuple[Campaign, WebhookEndpoint]:
    """The campaign and one of its endpoints; 404 when either is not there."""
    campaign = campaign_or_404(slug)
    endpoint = find_endpoint(db.session, campaign, endpoint_id)
    if endpoint is None:
        abort(404)
    return campaign, endpoint


def _page(campaign: Campaign, status: int = 200, **extra) -> ResponseReturnValue:
    page = render_template(
        "console/webhooks.html",
        campaign=campaign,
        endpoints=endpoints(db.session, campaign),
        events=recent_events(db.session, campaign),
        max_endpoints=MAX_ENDPOINTS,
        signature_header=SIGNATURE_HEADER,
        **{"new_secret": None, "error": None, "url": "", **extra},
    )
    return page, status


@bp.get("/campaigns/<slug>/webhooks")
@requires(Role.organiser)
def webhooks_page(slug: str) -> ResponseReturnValue:
    """The campaign's endpoints and the latest events with their attempts."""
    return _page(campaign_or_404(slug))


@bp.post("/campaigns/<slug>/webhooks")
@requires(Role.organiser)
def add(slug: str) -> ResponseReturnValue:
    """Add an endpoint; its secret is shown on this response only."""
    campaign = campaign_or_404(slug)
    url = request.form.get("url", "")[:1000]
    box = SecretBox.from_config(current_app.config)
    added = add_endpoint(db.session, box, campaign, url, current_app.config["WEBHOOKS_ALLOW_PRIVATE"])
    if added.endpoint is None:
        db.session.rollback()
        return _page(campaign, 422, error=say(added.problem), url=url)
    audit.record(db.session, current_user(), "webhook.add", campaign.slug, {"url": (None, added.endpoint.url)})
    db.session.commit()
    return _page(campaign, new_secret=(added.endpoint.id, added.secret))


@bp.post("/campaigns/<slug>/webhooks/<int:endpoint_id>/roll")
@requires(Role.organiser)
def roll(slug: str, endpoint_id: int) -> ResponseReturnValue:
    """Give an endpoint a new secret, shown on this response only; the old one signs beside it for a grace period."""
    campaign, endpoint = _endpoint_or_404(slug, endpoint_id)
    old_hint = endpoint.secret_hint
    secret = roll_secret(SecretBox.from_config(current_app.config), endpoint, utcnow())
    # Hints only: the audit log never holds a secret.
    changes = {"url": (endpoint.url, endpoint.url), "secret": (old_hint, endpoint.secret_hint)}
    audit.record(db.session, current_user(), "webhook.roll_secret", campaign.slug, changes)
    until = endpoint.previous_secret_expires_at
    db.session.commit()
    assert until is not None  # roll_secret set it
    flash(
        _(
            "The old secret of %(url)s also signs every delivery until %(time)s, so the receiving system can "
            "switch to the new one."
        )
        % {"url": endpoint.url, "time": when(until, campaign.timezone)},
        "note",
    )
    return _page(campaign, new_secret=(endpoint.id, secret))


@bp.post("/campaigns/<slug>/webhooks/<int:endpoint_id>/remove")
@requires(Role.organiser)
def remove(slug: str, endpoint_id: int) -> ResponseReturnValue:
    """Remove an endpoint and its events."""
    campaign, endpoint = _endpoint_or_404(slug, endpoint_id)
    audit.record(db.session, current_user(), "webhook.remove", campaign.slug, {"url": (endpoint.url, None)})
    db.session.delete(endpoint)
    db.session.commit()
    flash(_("The endpoint is removed: it hears of no more calls."), "note")
    return redirect(url_for("console_webhooks.webhooks_page", slug=slug), code=303)


@bp.post("/campaigns/<slug>/webhooks/events/<int:event_id>/redeliver")
@requires(Role.organiser)
def redeliver_event(slug: str, event_id: int) -> ResponseReturnValue:
    """Send one event again now, with a fresh retry window."""
    campaign = campaign_or_404(slug)
    event = find_event(db.session, campaign, event_id)
    if event is None:
        abort(404)
    if redeliver(db.session, event, utcnow()):
        audit.record(db.session, current_user(), "webhook.redeliver", campaign.slug, {"event": (None, event.public_id)})
        db.session.commit()
        dispatch()
        flash(_("%(event)s will be sent again in a moment.") % {"event": event.public_id}, "note")
    else:
        db.session.rollback()
        flash(_("%(event)s is being sent right now; try again in a minute.") % {"event": event.public_id}, "note")
    return redirect(url_for("console_webhooks.webhooks_page", slug=slug), code=303)
