"""The preview page: walk through a call in the browser when no Twilio account is configured."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import select

from callflow import preview as runner
from campaigns import get_campaign
from campaigns.translations import LocalizedCampaign
from dialer import twilio_configured
from extensions import db, this_app
from languages.web import current_locale, gettext
from models import Call, CallPreview, CallSource, Campaign, find_call
from pages.phone_numbers import display_phone

bp = Blueprint("preview", __name__)


def _back_url(call: Call) -> str:
    """The supporter's call page, where the preview was offered (the campaign page, for a call-in)."""
    if call.source == CallSource.call_in:
        return url_for("pages.campaign", slug=call.campaign.slug)
    for endpoint in ("pages.call_page", "pages.call"):
        if endpoint in current_app.view_functions:
            return url_for(endpoint, public_id=call.public_id)
    return url_for("pages.home")


def _render(call: Call, preview, status: int = 200, error: str | None = None):
    return _page(call.campaign, preview, _back_url(call), call.source == CallSource.call_in, status, error)


def _page(campaign: Campaign, preview, back_url: str, calling_in: bool, status: int = 200, error: str | None = None):
    return render_template(
        "preview.html",
        campaign=LocalizedCampaign(campaign, current_locale()),
        preview=preview,
        keys=runner.KEYS,
        back_url=back_url,
        calling_in=calling_in,
        number=display_phone(_number(campaign)) if _number(campaign) else "",
        max_spoken=runner.MAX_SPOKEN_CHARS,
        error=error,
    ), status


def _number(campaign: Campaign) -> str:
    return campaign.caller_id or current_app.config.get("TWILIO_CALLER_ID") or ""


def _call_or_404(public_id: str) -> Call:
    call = find_call(db.session, public_id)
    # With Twilio, real calls are placed and there is nothing to preview, except an organiser's test call.
    if call is None or (twilio_configured(current_app) and not call.preview):
        abort(404)
    return call


@bp.get("/calls/<public_id>/preview")
def show(public_id: str):
    """The transcript so far and the controls for what happens next."""
    call = _call_or_404(public_id)
    return _render(call, runner.view(db.session.get(CallPreview, call.id)))


@bp.post("/calls/<public_id>/preview")
def act(public_id: str):
    """Start the preview, or give it the next input; then show the page again."""
    call = _call_or_404(public_id)
    app = this_app()
    preview = db.session.get(CallPreview, call.id)
    action, value = request.form.get("action", ""), request.form.get("value")
    db.session.commit()  # end our read before the webhooks write in their own sessions
    try:
        if action == "start" and preview is None:
            state, transcript = runner.start(app, call)
        elif preview is not None:
            state, transcript = runner.advance(app, call, preview, action, value)
        else:
            return _render(call, runner.view(None), 400, gettext("Start the preview first."))
    except runner.PreviewError:
        return redirect(url_for("preview.show", public_id=public_id, _anchor="controls"), code=303)
    preview = db.session.get(CallPreview, call.id) or CallPreview(call_id=call.id)
    preview.state, preview.transcript = state, transcript
    db.session.add(preview)
    db.session.commit()
    return redirect(url_for("preview.show", public_id=public_id, _anchor="controls"), code=303)


def _campaign_to_dial(slug: str) -> Campaign:
    campaign = get_campaign(slug)
    if twilio_configured(current_app) or campaign is None or not _number(campaign):
        abort(404)  # real calls come in, or there is no number to call
    return campaign


@bp.get("/c/<slug>/call-in-preview")
def call_in(slug: str):
    """What calling the campaign's number will be like, before the preview starts."""
    campaign = _campaign_to_dial(slug)
    return _page(campaign, runner.view(None), url_for("pages.campaign", slug=campaign.slug), True)


@bp.post("/c/<slug>/call-in-preview")
def dial_in(slug: str):
    """Call the campaign's number in the browser: the call-in line, played by the stand-in for Twilio."""
    campaign = _campaign_to_dial(slug)
    number = _number(campaign)
    db.session.commit()  # end our read before the webhooks write in their own sessions
    sid, state, transcript = runner.dial_in(this_app(), number)
    call = db.session.scalar(select(Call).where(Call.twilio_sid == sid))
    if call is None:  # the line could not take the call and said why: there is nothing to go on with
        view = runner.PreviewView(True, True, None, transcript)
        return _page(campaign, view, url_for("pages.campaign", slug=campaign.slug), True)
    db.session.add(CallPreview(call_id=call.id, state=state, transcript=transcript))
    db.session.commit()
    return redirect(url_for("preview.show", public_id=call.public_id, _anchor="controls"), code=303)
