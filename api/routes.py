"""The API's routes under /api/v1: each checks the token, calls one function, and answers JSON or a problem."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import yaml
from flask import Blueprint, Response, current_app, g, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from limits import parse
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import MethodNotAllowed, NotFound

from api.calls import Refused, call_language, read_call_request, refusal_of
from api.problems import API_PREFIX, problem
from api.shapes import (
    call_shape,
    campaign_shape,
    decode_cursor,
    encode_cursor,
    leg_shape,
    question_shapes,
    results_shape,
)
from api.tokens import find_token, note_use
from campaigns import campaign_by_slug
from dialer import dispatch_call
from extensions import csrf, db, limiter
from languages.web import current_locale
from models import ApiToken, CallSource, Campaign, utcnow
from models.directory import SqlDirectory
from pages.calling import Submission, request_call
from pages.routes import call_settings
from pages.supporter_form import SupporterForm
from results.campaign import campaign_results
from results.records import leg_page
from security.submissions import check_submission
from webhooks.queue import dispatch as dispatch_webhooks

log = logging.getLogger(__name__)

bp = Blueprint("api", __name__, url_prefix=API_PREFIX)
# A bearer token is never sent by a browser on its own, so there is nothing for a CSRF token to protect.
csrf.exempt(bp)

OPENAPI_FILE = Path(__file__).with_name("openapi.yml")
PAGE_DEFAULT, PAGE_MAX = 100, 500
BODY_MAX = 16 * 1024


@bp.before_request
def _authenticate() -> Response | None:
    """Every route but the OpenAPI document needs a live token, within its request limit; its use is noted."""
    if request.endpoint == "api.openapi":
        return None
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    token = find_token(db.session, secret.strip()) if scheme.lower() == "bearer" and secret.strip() else None
    if token is None:
        return problem("unauthorized", "Send a live API token as `Authorization: Bearer <token>`.")
    item = parse(current_app.config["RATE_LIMIT_API_PER_TOKEN"])
    try:
        allowed = limiter.limiter.hit(item, "patchthrough-api-token", str(token.id))
    except Exception:  # Redis down: serve rather than fail, as the form does
        log.warning("API token limit unavailable; request allowed", exc_info=True)
        allowed = True
    if not allowed:
        reset_at, _ = limiter.limiter.get_window_stats(item, "patchthrough-api-token", str(token.id))
        retry = max(1, int(reset_at - time.time()))
        return problem("rate_limited", "This token has made too many requests lately.", retry_after=retry)
    note_use(db.session, token, utcnow())
    db.session.commit()
    g.api_token = token
    return None


@bp.after_request
def _private(response: Response) -> Response:
    response.headers.setdefault("Cache-Control", "no-store")
    return response


@bp.errorhandler(DBAPIError)
def _database_unavailable(error: DBAPIError) -> Response:
    try:
        db.session.rollback()
    except Exception:  # the connection is gone; there is nothing to roll back on it
        log.debug("rollback after a database error failed too", exc_info=True)
    log.error("database unavailable during API %s %s: %s", request.method, request.path, type(error).__name__)
    return problem("unavailable", "We can't reach our records right now. Nothing was changed.", retry_after=30)


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    """The OpenAPI 3.1 document of this API, with this server's address."""
    document = _openapi_document()
    return jsonify({**document, "servers": [{"url": _public(API_PREFIX)}]})


@bp.get("/campaigns")
def campaigns() -> ResponseReturnValue:
    """The campaigns this token may see, newest first."""
    if (refused := _needs("read")) is not None:
        return refused
    token = _token()
    if token.all_campaigns:
        found = db.session.scalars(select(Campaign).order_by(Campaign.created_at.desc(), Campaign.id.desc())).all()
    else:
        found = sorted(token.campaigns, key=lambda c: (c.created_at, c.id), reverse=True)
    return jsonify(campaigns=[campaign_shape(c, _page_url(c)) for c in found])


@bp.get("/campaigns/<slug>")
def campaign(slug: str) -> ResponseReturnValue:
    """One campaign."""
    found = _campaign_for(slug, "read")
    if isinstance(found, Response):
        return found
    return jsonify(campaign_shape(found, _page_url(found)))


@bp.get("/campaigns/<slug>/results")
def results(slug: str) -> ResponseReturnValue:
    """The campaign's results: the figures the console shows, computed by the same code."""
    found = _campaign_for(slug, "read")
    if isinstance(found, Response):
        return found
    now = utcnow()
    return jsonify(results_shape(found, campaign_results(db.session, found, now), now))


@bp.get("/campaigns/<slug>/legs")
def legs(slug: str) -> ResponseReturnValue:
    """The campaign's legs, oldest call first, a page at a time (`next_cursor` until the last page)."""
    found = _campaign_for(slug, "read")
    if isinstance(found, Response):
        return found
    limit_text, cursor = request.args.get("limit", str(PAGE_DEFAULT)), request.args.get("cursor")
    errors = []
    if not (limit_text.isascii() and limit_text.isdigit() and 1 <= int(limit_text) <= PAGE_MAX):
        errors.append({"field": "limit", "message": f"a whole number from 1 to {PAGE_MAX}"})
    after = decode_cursor(cursor) if cursor is not None else None
    if cursor is not None and after is None:
        errors.append({"field": "cursor", "message": "not a cursor this API gave out"})
    if errors:
        return problem("validation_error", "Some query parameters are malformed.", errors=errors)
    limit = int(limit_text)
    # One more than asked tells whether another page follows.
    rows = leg_page(db.session, found, after, limit + 1)
    page, more = rows[:limit], len(rows) > limit
    last = page[-1] if page else None
    return jsonify(
        legs=[leg_shape(row) for row in page],
        next_cursor=encode_cursor(last.call_id, last.leg.position) if more and last else None,
    )


@bp.post("/campaigns/<slug>/calls")
def create_call(slug: str) -> ResponseReturnValue:
    """Ask for a call for a supporter, as the campaign's form does: the same number rules, limits and blocklist."""
    found = _campaign_for(slug, "create")
    if isinstance(found, Response):
        return found
    if not request.is_json:
        return problem("unsupported_media_type", "Send the body as JSON with `Content-Type: application/json`.")
    if request.content_length is not None and request.content_length > BODY_MAX:
        return problem("validation_error", f"The body is larger than {BODY_MAX} bytes.", errors=[])
    body = request.get_json(silent=True)
    form = read_call_request(body, found.target_chambers)
    if isinstance(form, Refused):
        return _refused(form)
    # The body's `language`, else Accept-Language, as the page reads its language: the form's sentences come
    # back in it, and the call speaks it where the campaign is translated into it (else the campaign's own).
    locale = call_language(body) or current_locale()
    with force_locale(locale):
        outcome = _request_call(found, form, locale)
    questions = question_shapes(outcome.resolution, _chamber_names(found)) if outcome.resolution else []
    if (refused := refusal_of(outcome, questions)) is not None:
        db.session.rollback()
        return _refused(refused)
    call = outcome.call
    assert call is not None  # refusal_of answered every other outcome
    db.session.commit()
    dispatch_call(call.id)
    if outcome.webhook_events:
        dispatch_webhooks()
    status_url = _public(url_for("pages.call_status", public_id=call.public_id))
    shape = call_shape(call, status_url, _public(url_for("pages.call", public_id=call.public_id)), outcome.notes)
    response = jsonify(shape)
    response.status_code = 201
    response.headers["Location"] = status_url
    return response


@bp.route("/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(rest: str) -> ResponseReturnValue:
    """Anything else under /api/v1: a problem, never the site's HTML 404 page."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = []
    for method in ("GET", "POST"):
        if method == request.method:
            continue
        try:
            endpoint, _ = adapter.match(request.path, method=method)
        except (NotFound, MethodNotAllowed):
            continue
        if endpoint != "api.unknown":
            allowed.append(method)
    if allowed:
        response = problem("method_not_allowed", f"{request.path} takes {', '.join(allowed)}.")
        response.headers["Allow"] = ", ".join(allowed)
        return response
    return problem("not_found", "There is nothing at this address in API v1.")


def _request_call(found: Campaign, form: SupporterForm, locale: str) -> Submission:
    """The campaign page's own path from a form to a planned call (pages.calling.request_call)."""
    return request_call(
        db.session,
        call_settings(),
        found,
        form,
        now=utcnow(),
        # The per-number limits and the blocklist of the form; the caller is a partner's server, so its
        # address is not the supporter's: the token's own limit stands in for the per-address one.
        admit=lambda phone_hash, listed: check_submission(db.session, found, phone_hash, listed=listed),
        locale=locale,
        source=CallSource.api,  # counted apart from the page's calls in every result
    )


def _token() -> ApiToken:
    return g.api_token


def _needs(scope: str) -> Response | None:
    if scope not in _token().scopes:
        return problem("forbidden", f"This token does not have the `{scope}` scope.")
    return None


def _campaign_for(slug: str, scope: str) -> Campaign | Response:
    """The campaign by slug, when this token has the scope and covers it; else the problem to answer."""
    if (refused := _needs(scope)) is not None:
        return refused
    found = campaign_by_slug(slug)
    if found is None:
        return problem("not_found", f"There is no campaign {slug!r}.")
    if not _token().covers(found):
        return problem("forbidden", "This token is not for this campaign.")
    return found


def _refused(refused: Refused) -> Response:
    return problem(refused.code, refused.detail, retry_after=refused.retry_after, **refused.extra)


def _chamber_names(campaign: Campaign) -> dict[str, str]:
    directory = SqlDirectory(db.session)
    return {chamber: directory.chamber_name(campaign.state, chamber) for chamber in campaign.target_chambers}


def _public(path: str) -> str:
    # The public origin when configured, as every link the service gives out.
    return (current_app.config["PUBLIC_BASE_URL"] or request.host_url.rstrip("/")) + path


def _page_url(campaign: Campaign) -> str:
    return _public(url_for("pages.campaign", slug=campaign.slug))


def _openapi_document() -> dict[str, Any]:
    cache: dict[str, Any] = current_app.extensions.setdefault("openapi", {})
    if "document" not in cache:
        cache["document"] = yaml.safe_load(OPENAPI_FILE.read_text(encoding="utf-8"))
    return cache["document"]
