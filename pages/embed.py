"""The call form embedded in other sites' pages: `embed.js`, the framed form, and its call page and preview.

Only these routes may be framed, and only by the sites the campaign lists (and our own console). Inside
another site's frame our cookies may be blocked, so nothing here needs the session: the form carries a
signed token bound to its campaign and the host page's origin, the call page one bound to its call.
"""

from __future__ import annotations

import hmac
import time
from pathlib import Path

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_limiter.errors import RateLimitExceeded

from campaigns import get_campaign
from errors import too_many_requests
from extensions import csrf, db
from languages.web import current_locale, gettext, with_lang
from models import Call, Campaign, find_call
from pages.preview import play_step, preview_call_or_404, preview_page, preview_so_far
from pages.routes import (
    CANCEL_NOTES,
    CallLinks,
    call_form_context,
    call_page,
    call_status_json,
    campaign_or_404,
    cancel_waiting_call,
    take_call_form,
)
from pages.supporter_form import SupporterForm
from security.embedding import (
    EmbedToken,
    came_from,
    expired_token_parent,
    make_token,
    may_frame,
    origin_of,
    read_token,
)
from security.headers import allow_framing_by
from security.notices import notice_response, notices_lead_back_to
from security.origins import own_origins
from security.submissions import limit_submissions_per_ip, screen_form

bp = Blueprint("embed", __name__)
# The embedded pages cannot count on the session's CSRF token: each checks its own signed token instead.
csrf.exempt(bp)

# The embedded page's token, for the page's layout (base.html asks `embed_frame()`).
_FRAME = "patchthrough.embed"
EMBED_SCRIPT = Path(__file__).resolve().parent.parent / "static" / "embed.js"
# Host pages link the script by a fixed address: cache it briefly so a fix reaches them within the hour.
EMBED_SCRIPT_MAX_AGE = 3600


@bp.get("/embed.js")
def script() -> ResponseReturnValue:
    """The script a host page includes: it puts the campaign's form in a frame that fits its content."""
    response = current_app.response_class(EMBED_SCRIPT.read_bytes(), mimetype="text/javascript")
    response.cache_control.public = True
    response.cache_control.max_age = EMBED_SCRIPT_MAX_AGE
    # Any site may load it; it reads nothing from us but the frame's address.
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@bp.get("/embed/c/<slug>")
def form(slug: str) -> ResponseReturnValue:
    """The call form, for a frame on a page at the origin `?parent=` names (a site the campaign lists)."""
    found = campaign_or_404(slug)
    parent = origin_of(request.args.get("parent"))
    referer = origin_of(request.headers.get("Referer"))
    # The browser's Referer, when it sends one, must agree with the page the script says framed us.
    if (
        parent is None
        or not may_frame(parent, found.embed_origins, own_origins())
        or (referer is not None and referer != parent)
    ):
        return notice_response("embed_refused", 403)
    _framed(found, parent)
    return _form_page(found, parent)


@bp.post("/embed/c/<slug>")
@limit_submissions_per_ip
def submit(slug: str) -> ResponseReturnValue:
    """Take the embedded form: the page's own rules, limits and blocklist; then its call page, in the frame."""
    found = campaign_or_404(slug)
    token = read_token(_secret(), request.form.get("csrf_token", ""), "form", str(found.id), time.time())
    if token is None:
        _frame_notice(found)
        return notice_response("form_expired", 400)
    # Sent by our own page in the frame, for a host page the campaign still lists.
    if not came_from(request.headers.get("Origin"), request.headers.get("Referer"), own_origins()):
        abort(403)
    if not may_frame(token.parent, found.embed_origins, own_origins()):
        return notice_response("embed_refused", 403)
    _framed(found, token.parent)
    if (screened := screen_form(request.form)) is not None:
        return screened
    return take_call_form(
        found,
        lambda supporter_form, outcome, status: _form_page(found, token.parent, supporter_form, outcome, status),
        lambda public_id: redirect(_call_url(public_id, token.parent), code=303),
    )


@bp.get("/embed/calls/<public_id>/<token>")
def call(public_id: str, token: str) -> ResponseReturnValue:
    """The call page in the frame: who is calling, the script, the live state (and what Cancel answered)."""
    found, _ = _call_for(public_id, token)
    said = request.args.get("said", "")
    page = call_page(found, _links(token), (gettext(CANCEL_NOTES[said]),) if said in CANCEL_NOTES else ())
    response = current_app.make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/embed/calls/<public_id>/<token>/status")
def status(public_id: str, token: str) -> ResponseReturnValue:
    """The call's live state as JSON for the framed call page, its links staying in the frame."""
    found, _ = _call_for(public_id, token)
    return call_status_json(found, _links(token))


@bp.post("/embed/calls/<public_id>/<token>/cancel")
def cancel(public_id: str, token: str) -> ResponseReturnValue:
    """Cancel my call, from the framed call page; then the call page again, saying so (by the answer's key in its
    address: no session carries a flashed message in the frame)."""
    found, _ = _call_for(public_id, token)
    _check_own_form(token)
    said = cancel_waiting_call(found)
    return redirect(_in_language(url_for("embed.call", public_id=public_id, token=token, said=said)), code=303)


@bp.route("/embed/calls/<public_id>/<token>/preview", methods=["GET", "POST"])
def preview(public_id: str, token: str) -> ResponseReturnValue:
    """The preview of the call in the frame; its steps carry the call's token instead of the session's."""
    found, _ = _call_for(public_id, token)
    call_to_play = preview_call_or_404(found.public_id)
    back = _in_language(url_for("embed.call", public_id=public_id, token=token))
    if request.method == "GET":
        return preview_page(call_to_play, preview_so_far(call_to_play), back, csrf_token=lambda: token)
    _check_own_form(token)
    here = _in_language(url_for("embed.preview", public_id=public_id, token=token)) + "#controls"
    return play_step(call_to_play, here, back, csrf_token=lambda: token)


def _check_own_form(token: str) -> None:
    """A step sent from the framed call page: its form carries the page's token, and our origin sent it."""
    sent = request.form.get("csrf_token", "")
    if not hmac.compare_digest(sent.encode(), token.encode()) or not came_from(
        request.headers.get("Origin"), request.headers.get("Referer"), own_origins()
    ):
        abort(403)


@bp.errorhandler(RateLimitExceeded)
def over_a_limit(error: RateLimitExceeded) -> ResponseReturnValue:
    """A limit refused the embedded form before its view ran: the same notice as the page's, shown in the frame."""
    slug = (request.view_args or {}).get("slug")
    if slug and (found := get_campaign(slug)) is not None:
        _frame_notice(found)
    return too_many_requests(error)


def _frame_notice(found: Campaign) -> None:
    """A notice answering the embedded form is shown in the frame, where the supporter is. The form's token, even
    an expired one, names the page that framed it: when the campaign still lists that page, the notice tells it its
    height, like every framed page."""
    named = expired_token_parent(_secret(), request.form.get("csrf_token", ""), "form", str(found.id))
    _framed(found, named if named and may_frame(named, found.embed_origins, own_origins()) else "")


def _framed(found: Campaign, parent: str) -> None:
    """This response is the embedded form's: framed by the campaign's sites, talking to the page at `parent`; a
    notice it answers with leads back to the form in the frame."""
    allow_framing_by(found.embed_origins)
    request.environ[_FRAME] = EmbedToken("form", str(found.id), parent, 0)
    if parent:
        notices_lead_back_to(_in_language(url_for("embed.form", slug=found.slug, parent=parent)))


def _form_page(
    found: Campaign,
    parent: str,
    supporter_form: SupporterForm | None = None,
    submission=None,
    status: int = 200,
) -> ResponseReturnValue:
    token = make_token(_secret(), "form", str(found.id), parent, time.time())
    response = current_app.make_response(
        (
            render_template(
                "embed_form.html",
                **call_form_context(found, supporter_form, submission),
                form_action=_in_language(url_for("embed.submit", slug=found.slug)),
                csrf_token=lambda: token,
                campaign_url=url_for("pages.campaign", slug=found.slug, _external=True),
                privacy_href=found.privacy_url,
            ),
            status,
        )
    )
    # Each page holds a fresh token: never serve one from a cache.
    response.headers["Cache-Control"] = "no-store"
    return response


def _call_url(public_id: str, parent: str) -> str:
    token = make_token(_secret(), "call", public_id, parent, time.time())
    return _in_language(url_for("embed.call", public_id=public_id, token=token))


def _links(token: str) -> CallLinks:
    return CallLinks(
        status=lambda found: _in_language(url_for("embed.status", public_id=found.public_id, token=token)),
        preview=lambda found: _in_language(url_for("embed.preview", public_id=found.public_id, token=token)),
        cancel=lambda found: _in_language(url_for("embed.cancel", public_id=found.public_id, token=token)),
        form_token=token,
    )


def _call_for(public_id: str, token: str) -> tuple[Call, EmbedToken]:
    """The call and its token; 404 for a wrong or expired token, or a host page the campaign no longer lists."""
    found = find_call(db.session, public_id, with_plan=True)
    read = read_token(_secret(), token, "call", public_id, time.time())
    if found is None or read is None or not may_frame(read.parent, found.campaign.embed_origins, own_origins()):
        abort(404)
    allow_framing_by(found.campaign.embed_origins)
    request.environ[_FRAME] = read
    return found, read


@bp.app_template_global()
def embed_frame() -> EmbedToken | None:
    """The page being rendered is inside another site's frame: its token (the host page's origin); else None."""
    return request.environ.get(_FRAME)


def _in_language(url: str) -> str:
    # The frame keeps the page's language in its links: the cookie that would remember it may be blocked here.
    return with_lang(url, current_locale())


def _secret() -> str:
    return current_app.config["SECRET_KEY"]
