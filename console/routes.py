"""The console's routes: each parses the request, calls one function, and renders. Every view is guarded by role."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from console import audit
from console.access import current_user, requires, safe_next, sign_in_allowed
from console.access import sign_in as start_session
from console.access import sign_out as end_session
from console.accounts import AccountError, all_users, authenticate, create_user, parse_role, set_active, set_role
from extensions import db
from models import Role, User, utcnow
from results.overview import campaign_rows

bp = Blueprint("console", __name__, url_prefix="/console")


@bp.app_context_processor
def _console_user() -> dict:
    return {"console_user": current_user, "Role": Role}


@bp.after_request
def _private(response):
    # Console pages are per-person: never kept by a shared cache or the browser's back-forward cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> ResponseReturnValue:
    """The sign-in form; a right address and password start a fresh session."""
    next_url = safe_next(request.values.get("next"))
    if request.method == "GET":
        if current_user() is not None:
            return redirect(next_url)
        return render_template("console/sign_in.html", next_url=next_url, email="", error=None)
    email = request.form.get("email", "")[:254]
    password = request.form.get("password", "")[:1024]
    if not sign_in_allowed(email):
        error = "Too many sign-in attempts. Wait a while, then try again."
        return render_template("console/sign_in.html", next_url=next_url, email=email, error=error), 429
    user = authenticate(db.session, email, password)
    if user is None:
        error = "That e-mail address and password do not match an active account."
        return render_template("console/sign_in.html", next_url=next_url, email=email, error=error), 401
    start_session(user)
    db.session.commit()
    return redirect(next_url, code=303)


@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    """End this session, and the account's sessions elsewhere."""
    end_session()
    db.session.commit()
    flash("You are signed out.", "note")
    return redirect(url_for("console.sign_in"), code=303)


@bp.get("/")
@requires(Role.viewer)
def index() -> ResponseReturnValue:
    """The campaign list: status, deadline and today's calls."""
    return render_template("console/campaigns.html", rows=campaign_rows(db.session, utcnow()))


@bp.get("/users")
@requires(Role.admin)
def users() -> ResponseReturnValue:
    """Every account, and a form for a new one."""
    return render_template("console/users.html", users=all_users(db.session), roles=list(Role), errors={}, form={})


@bp.post("/users")
@requires(Role.admin)
def create_account() -> ResponseReturnValue:
    """Add an account; a bad address, short password or unknown role shows the form again and changes nothing."""
    form = {"email": request.form.get("email", "")[:254], "role": request.form.get("role", "")}
    try:
        user = create_user(db.session, form["email"], request.form.get("password", "")[:1024], parse_role(form["role"]))
    except AccountError as exc:
        db.session.rollback()
        page = render_template(
            "console/users.html", users=all_users(db.session), roles=list(Role), errors={"form": str(exc)}, form=form
        )
        return page, 422
    audit.record(db.session, current_user(), "user.create", user.email, {"role": (None, user.role.value)})
    db.session.commit()
    flash(f"Account created for {user.email}.", "note")
    return redirect(url_for("console.users"), code=303)


def _account_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.post("/users/<int:user_id>/role")
@requires(Role.admin)
def change_role(user_id: int) -> ResponseReturnValue:
    """Give an account another role (not your own: an admin cannot lock the console out by mistake)."""
    user = _account_or_404(user_id)
    try:
        role = parse_role(request.form.get("role", ""))
    except AccountError as exc:
        flash(str(exc).capitalize() + ".", "error")
        return redirect(url_for("console.users"), code=303)
    if user.id == current_user().id:  # type: ignore[union-attr]
        flash("You cannot change your own role.", "error")
        return redirect(url_for("console.users"), code=303)
    old = user.role.value
    set_role(user, role)
    audit.record(db.session, current_user(), "user.set_role", user.email, {"role": (old, role.value)})
    db.session.commit()
    flash(f"{user.email} is now {role.value}.", "note")
    return redirect(url_for("console.users"), code=303)


@bp.post("/users/<int:user_id>/active")
@requires(Role.admin)
def change_active(user_id: int) -> ResponseReturnValue:
    """Disable an account (its sessions end at once) or enable it again."""
    user = _account_or_404(user_id)
    active = request.form.get("active") == "1"
    if user.id == current_user().id:  # type: ignore[union-attr]
        flash("You cannot disable your own account.", "error")
        return redirect(url_for("console.users"), code=303)
    old = user.active
    set_active(user, active)
    audit.record(
        db.session, current_user(), "user.enable" if active else "user.disable", user.email, {"active": (old, active)}
    )
    db.session.commit()
    flash(f"{user.email} is {'enabled' if active else 'disabled'}.", "note")
    return redirect(url_for("console.users"), code=303)


@bp.get("/audit")
@requires(Role.admin)
def audit_log() -> ResponseReturnValue:
    """Who changed what, newest first."""
    return render_template("console/audit.html", entries=audit.recent(db.session))
