"""The console's API tokens page: make a token (shown once), see each one's scopes and last use, revoke it."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from api.tokens import NewToken, TokenInvalid, all_tokens, create_token, revoke_token
from console import audit
from console.access import current_user, requires
from extensions import db
from languages.web import gettext as _
from languages.web import say_sentence
from models import ApiToken, Campaign, Role, utcnow

bp = Blueprint("console_tokens", __name__, url_prefix="/console/api-tokens")


@bp.after_request
def _private(response: Response) -> Response:
    # The page that shows a new token must never be kept by a cache or the back-forward cache.
    response.headers["Cache-Control"] = "no-store"
    return response


def _page(form: dict, error: str | None = None, made: NewToken | None = None, status: int = 200):
    campaigns = db.session.scalars(select(Campaign).order_by(Campaign.created_at.desc(), Campaign.id.desc())).all()
    page = render_template(
        "console/api_tokens.html", tokens=all_tokens(db.session), campaigns=campaigns, form=form, error=error, made=made
    )
    return page, status


@bp.get("/")
@requires(Role.organiser)
def index() -> ResponseReturnValue:
    """Every token, and a form for a new one."""
    return _page({"read": True})


@bp.post("/")
@requires(Role.organiser)
def create() -> ResponseReturnValue:
    """Make a token and show it, this once; a form with a mistake is shown again and nothing is made."""
    slugs = request.form.getlist("campaigns")
    name = request.form.get("name", "")[:200]
    read, create, every = (request.form.get(key) == "1" for key in ("read", "create", "all_campaigns"))
    form = {"name": name, "read": read, "create": create, "all_campaigns": every, "campaigns": slugs}
    chosen = db.session.scalars(select(Campaign).where(Campaign.slug.in_(slugs[:500]))).all() if slugs else []
    try:
        made = create_token(
            db.session, name, read=read, create=create, campaigns=chosen, all_campaigns=every, created_by=current_user()
        )
    except TokenInvalid as exc:
        db.session.rollback()
        return _page(form, error=say_sentence(exc.args[0]), status=422)
    scope = "every campaign" if made.row.all_campaigns else ", ".join(c.slug for c in made.row.campaigns)
    audit.record(
        db.session,
        current_user(),
        "api_token.create",
        made.row.name,
        {"scopes": (None, ",".join(made.row.scopes)), "campaigns": (None, scope), "prefix": (None, made.row.prefix)},
    )
    db.session.commit()
    # Rendered, never flashed: a flash message would put the token in the session cookie.
    return _page({"read": True}, made=made, status=201)


@bp.post("/<int:token_id>/revoke")
@requires(Role.organiser)
def revoke(token_id: int) -> ResponseReturnValue:
    """Revoke a token: from now on every request with it is refused."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        abort(404)
    if revoke_token(db.session, token, utcnow()):
        audit.record(db.session, current_user(), "api_token.revoke", token.name, {"prefix": (token.prefix, None)})
        db.session.commit()
        flash(_("The token %(name)s (%(prefix)s…) is revoked.") % {"name": token.name, "prefix": token.prefix}, "note")
    return redirect(url_for("console_tokens.index"), code=303)
