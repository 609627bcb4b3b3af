"""The preview page: walk through a call in the browser when no Twilio account is configured."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from callflow import preview as runner
from dialer import twilio_configured
from extensions import db, this_app
from models import Call, CallPreview, find_call

bp = Blueprint("preview", __name__)


def _back_url(call: Call) -> str:
    """The supporter's call page, where the preview was offered."""
    for endpoint in ("pages.call_page", "pages.call"):
        if endpoint in current_app.view_functions:
            return url_for(endpoint, public_id=call.public_id)
    return url_for("pages.home")


def _render(call: Call, preview, status: int = 200, error: str | None = None):
    return render_template(
        "preview.html",
        call=call,
        campaign=call.campaign,
        preview=preview,
        keys=runner.KEYS,
        back_url=_back_url(call),
        error=error,
    ), status


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
            return _render(call, runner.view(None), 400, "Start the preview first.")
    except runner.PreviewError:
        return redirect(url_for("preview.show", public_id=public_id, _anchor="controls"), code=303)
    preview = db.session.get(CallPreview, call.id) or CallPreview(call_id=call.id)
    preview.state, preview.transcript = state, transcript
    db.session.add(preview)
    db.session.commit()
    return redirect(url_for("preview.show", public_id=public_id, _anchor="controls"), code=303)
