"""The console's routes: each parses the request, calls one function, and renders. Every view is guarded by role."""

from __future__ import annotations

from collections.abc import Mapping

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from campaigns import campaign_by_slug
from campaigns.files import CampaignFileError, campaign_yaml
from campaigns.schema import MAX_TEXT, TEXT_FIELDS, CampaignInvalid
from console import audit
from console.access import count_failed_sign_in, current_user, requires, safe_next, sign_in_allowed
from console.access import sign_in as start_session
from console.access import sign_out as end_session
from console.accounts import AccountError, all_users, authenticate, create_user, parse_role, set_active, set_role
from console.campaign_form import (
    CHAMBER_ORDERS,
    FIXED_SLOTS,
    LINE_FIELDS,
    MAX_FIXED,
    NEXT_STATUSES,
    TIME_ZONES,
    TRANSLATION_FIELDS,
    change_status,
    directory_choices,
    duplicate_slug,
    fixed_fields,
    form_values,
    import_campaign,
    save_campaign,
    translation_field,
    translation_sections,
)
from console.numbers import bp as numbers_bp
from console.test_calls import plan_test_call
from console.words import (
    ACTION_NAMES,
    CAMPAIGN_TEXTS,
    CHAMBER_NAMES,
    DELIVERY_NAMES,
    EVENT_NAMES,
    ROLE_NAMES,
    SCOPE_NAMES,
    STATUS_EFFECTS,
    STATUS_NAMES,
    STATUS_VERBS,
)
from extensions import db
from languages import N_
from languages.web import current_locale, say, say_sentence
from languages.web import gettext as _
from models import Campaign, CampaignStatus, Role, User, utcnow
from pages.routes import campaign_preview, public_url
from privacy import PhoneVault
from results.campaign import campaign_results
from results.export import csv_lines
from results.overview import campaign_rows
from results.records import iter_calls
from security.embedding import origin_of
from security.headers import allow_own_frames

bp = Blueprint("console", __name__, url_prefix="/console")
bp.register_blueprint(numbers_bp)  # office numbers that look wrong (number health)

# The largest campaign file the console takes (the demo is about 5 kB).
MAX_UPLOAD = 256 * 1024
FORM_FIELDS = (*TEXT_FIELDS, *LINE_FIELDS, "ends_at", "target_chambers", "ask_feedback", "text_link", "embed_origins")
TEXT_LABELS = {"title": N_("Title"), **{name: label for name, (label, _hint, _long) in CAMPAIGN_TEXTS.items()}}


@bp.app_context_processor
def _console_user() -> dict:
    return {
        "console_user": current_user,
        "Role": Role,
        "next_statuses": lambda campaign: NEXT_STATUSES[campaign.status],
        "status_verbs": STATUS_VERBS,
        "status_effects": STATUS_EFFECTS,
        "status_names": STATUS_NAMES,
        "role_names": ROLE_NAMES,
        "chamber_names": CHAMBER_NAMES,
        "delivery_names": DELIVERY_NAMES,
        "event_names": EVENT_NAMES,
        "scope_names": SCOPE_NAMES,
        "action_names": ACTION_NAMES,
        "N_": N_,  # marks a template's words for the catalogs; `_()` shows them where they are used
    }


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
        error = _("Too many sign-in attempts. Wait a while, then try again.")
        return render_template("console/sign_in.html", next_url=next_url, email=email, error=error), 429
    user = authenticate(db.session, email, password)
    if user is None:
        count_failed_sign_in(email)
        error = _("That e-mail address and password do not match an active account.")
        return render_template("console/sign_in.html", next_url=next_url, email=email, error=error), 401
    start_session(user)
    db.session.commit()
    return redirect(next_url, code=303)


@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    """End this session, and the account's sessions elsewhere."""
    end_session()
    db.session.commit()
    flash(_("You are signed out."), "note")
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
            "console/users.html",
            users=all_users(db.session),
            roles=list(Role),
            errors={"form": say_sentence(exc.args[0])},
            form=form,
        )
        return page, 422
    audit.record(db.session, current_user(), "user.create", user.email, {"role": (None, user.role.value)})
    db.session.commit()
    flash(_("Account created for %(email)s.") % {"email": user.email}, "note")
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
        flash(say_sentence(exc.args[0]), "error")
        return redirect(url_for("console.users"), code=303)
    if user.id == current_user().id:  # type: ignore[union-attr]
        flash(_("You cannot change your own role."), "error")
        return redirect(url_for("console.users"), code=303)
    old = user.role.value
    set_role(user, role)
    audit.record(db.session, current_user(), "user.set_role", user.email, {"role": (old, role.value)})
    db.session.commit()
    flash(_("%(email)s is now %(role)s.") % {"email": user.email, "role": _(ROLE_NAMES[role.value])}, "note")
    return redirect(url_for("console.users"), code=303)


@bp.post("/users/<int:user_id>/active")
@requires(Role.admin)
def change_active(user_id: int) -> ResponseReturnValue:
    """Disable an account (its sessions end at once) or enable it again."""
    user = _account_or_404(user_id)
    active = request.form.get("active") == "1"
    if user.id == current_user().id:  # type: ignore[union-attr]
        flash(_("You cannot disable your own account."), "error")
        return redirect(url_for("console.users"), code=303)
    old = user.active
    set_active(user, active)
    audit.record(
        db.session, current_user(), "user.enable" if active else "user.disable", user.email, {"active": (old, active)}
    )
    db.session.commit()
    flash((_("%(email)s is enabled.") if active else _("%(email)s is disabled.")) % {"email": user.email}, "note")
    return redirect(url_for("console.users"), code=303)


@bp.get("/audit")
@requires(Role.admin)
def audit_log() -> ResponseReturnValue:
    """Who changed what, newest first."""
    return render_template("console/audit.html", entries=audit.recent(db.session))


def campaign_or_404(slug: str) -> Campaign:
    """The campaign by slug, drafts included (the console's pages are for them too); else 404."""
    campaign = campaign_by_slug(slug)
    if campaign is None:
        abort(404)
    return campaign


def _form_page(campaign: Campaign | None, values: Mapping[str, str], errors: Mapping[str, str], status: int = 200):
    chosen = [name for name in fixed_fields(len(values)) if values.get(name)]
    errors = {name: say(problem) for name, problem in errors.items()}  # the schema's sentences, translated here
    embed: dict[str, object] = {}
    if campaign is not None:
        # The snippet organisers paste, and the same tag here (from our own address) as the live preview.
        script = public_url(url_for("embed.script"))
        tag = Markup('<script src="{}" data-campaign="{}" async></script>')
        embed = {
            "embed_snippet": str(tag.format(script, campaign.slug)),
            "embed_origin": origin_of(script),
            "embed_preview": tag.format(url_for("embed.script"), campaign.slug),
        }
        allow_own_frames()
    page = render_template(
        "console/campaign_form.html",
        campaign=campaign,
        values=values,
        errors=errors,
        directory=directory_choices(db.session, (campaign.state if campaign else values.get("state")) or ""),
        fixed_slots=fixed_fields(max(FIXED_SLOTS, len(chosen) + 1)),
        chamber_orders=CHAMBER_ORDERS,
        time_zones=TIME_ZONES,
        text_fields=CAMPAIGN_TEXTS,
        **embed,
        translations=translation_sections(campaign, values, TEXT_LABELS),
        translation_field=translation_field,
    )
    return page, status


def _submitted() -> dict[str, str]:
    values = {name: request.form.get(name, "")[:MAX_TEXT] for name in FORM_FIELDS}
    slots = [name for name in request.form if name.startswith("fixed_")]
    values.update({name: request.form.get(name, "")[:200] for name in fixed_fields(min(len(slots), MAX_FIXED))})
    values.update({name: request.form.get(name, "")[:MAX_TEXT] for name in TRANSLATION_FIELDS if name in request.form})
    return values


@bp.route("/campaigns/new", methods=["GET", "POST"])
@requires(Role.organiser)
def new_campaign() -> ResponseReturnValue:
    """A blank campaign form; a valid one is stored as a draft."""
    if request.method == "GET":
        blank = {"state": "MA", "timezone": "America/New_York", "target_chambers": "upper,lower", "language": "en-US"}
        return _form_page(None, blank, {})
    values = _submitted()
    try:
        campaign, changes = save_campaign(db.session, values, None)
    except CampaignInvalid as exc:
        db.session.rollback()
        return _form_page(None, values, exc.errors, 422)
    audit.record(db.session, current_user(), "campaign.create", campaign.slug, changes)
    db.session.commit()
    flash(_("Campaign %(title)s saved as a draft.") % {"title": campaign.title}, "note")
    return redirect(url_for("console.index"), code=303)


@bp.route("/campaigns/<slug>/edit", methods=["GET", "POST"])
@requires(Role.organiser)
def edit_campaign(slug: str) -> ResponseReturnValue:
    """The campaign's form; a valid one is stored, and what changed goes into the audit log."""
    campaign = campaign_or_404(slug)
    if request.method == "GET":
        return _form_page(campaign, form_values(campaign), {})
    values = _submitted()
    try:
        campaign, changes = save_campaign(db.session, values, campaign)
    except CampaignInvalid as exc:
        db.session.rollback()
        return _form_page(campaign_or_404(slug), {**values, "slug": slug}, exc.errors, 422)
    if changes:
        audit.record(db.session, current_user(), "campaign.update", campaign.slug, changes)
    db.session.commit()
    flash(_("Campaign %(title)s saved.") % {"title": campaign.title} if changes else _("Nothing was changed."), "note")
    return redirect(url_for("console.edit_campaign", slug=campaign.slug), code=303)


@bp.post("/campaigns/<slug>/duplicate")
@requires(Role.organiser)
def duplicate_campaign(slug: str) -> ResponseReturnValue:
    """A draft copy of the campaign under a new slug, opened for editing."""
    source = campaign_or_404(slug)
    values = {**form_values(source), "slug": duplicate_slug(db.session, source.slug)}
    values["title"] = f"{source.title} (copy)"[:200]
    try:
        copy, _changed = save_campaign(db.session, values, None)
    except CampaignInvalid as exc:  # a campaign only a file could describe (say, fixed targets alone)
        db.session.rollback()
        problems = "; ".join(say(problem) for problem in exc.errors.values())
        flash(_("This campaign cannot be copied in the console: %(problem)s.") % {"problem": problems}, "error")
        return redirect(url_for("console.edit_campaign", slug=slug), code=303)
    audit.record(db.session, current_user(), "campaign.duplicate", copy.slug, {"copied_from": (None, source.slug)})
    db.session.commit()
    flash(_("Copied to /c/%(slug)s, a draft.") % {"slug": copy.slug}, "note")
    return redirect(url_for("console.edit_campaign", slug=copy.slug), code=303)


@bp.route("/campaigns/<slug>/status", methods=["GET", "POST"])
@requires(Role.organiser)
def campaign_status(slug: str) -> ResponseReturnValue:
    """Confirm a status change (GET asks, POST does it); only the allowed next steps are offered or taken."""
    campaign = campaign_or_404(slug)
    try:
        wanted = CampaignStatus(request.values.get("status", ""))
    except ValueError:
        abort(400)
    allowed = wanted in NEXT_STATUSES[campaign.status]
    if request.method == "GET" or not allowed:
        page = render_template("console/campaign_status.html", campaign=campaign, wanted=wanted, allowed=allowed)
        return page, 200 if allowed else 409
    old = campaign.status.value
    change_status(campaign, wanted)
    audit.record(db.session, current_user(), "campaign.status", campaign.slug, {"status": (old, wanted.value)})
    db.session.commit()
    flash(
        _("%(title)s is now %(status)s.") % {"title": campaign.title, "status": _(STATUS_NAMES[wanted.value])}, "note"
    )
    return redirect(url_for("console.index"), code=303)


@bp.get("/campaigns/<slug>")
@requires(Role.viewer)
def results(slug: str) -> ResponseReturnValue:
    """The campaign's results; the page refreshes them itself while open."""
    campaign = campaign_or_404(slug)
    now = utcnow()
    return render_template(
        "console/results.html",
        campaign=campaign,
        results=campaign_results(db.session, campaign, now, current_locale()),
        now=now,
        refresh_seconds=current_app.config["CONSOLE_REFRESH_SECONDS"],
    )


@bp.get("/campaigns/<slug>/results.json")
@requires(Role.viewer)
def results_json(slug: str) -> ResponseReturnValue:
    """The results again, rendered, for the page's refresh (one template for both: they never disagree)."""
    campaign = campaign_or_404(slug)
    now = utcnow()
    figures = campaign_results(db.session, campaign, now, current_locale())
    html = render_template("console/_results.html", campaign=campaign, results=figures, now=now)
    return jsonify(html=html, requested=figures.headline.requested, updated=now.isoformat())


@bp.get("/campaigns/<slug>/calls.csv")
@requires(Role.viewer)
def calls_csv(slug: str) -> ResponseReturnValue:
    """Every real call's legs as CSV, streamed as they are read: never a number, a name or a town."""
    campaign = campaign_or_404(slug)
    lines = csv_lines(iter_calls(db.session, campaign))
    filename = f"{campaign.slug}-calls-{utcnow().strftime('%Y%m%d-%H%M')}.csv"
    return Response(
        stream_with_context(lines),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/campaigns/<slug>/preview")
@requires(Role.organiser)
def preview_page(slug: str) -> ResponseReturnValue:
    """The campaign's page as supporters will see it once live (drafts included)."""
    return campaign_preview(campaign_or_404(slug))


@bp.post("/campaigns/<slug>/test-call")
@requires(Role.organiser)
def test_call(slug: str) -> ResponseReturnValue:
    """Plan a preview call for a sample ZIP and open it in the in-browser preview (no phone rings)."""
    campaign = campaign_or_404(slug)
    planned = plan_test_call(
        db.session, PhoneVault.from_config(current_app.config), campaign, request.form.get("zip", "")[:16]
    )
    if planned.call is None:
        db.session.rollback()
        flash(_("No test call: %(problem)s") % {"problem": say(planned.problem)}, "error")
        return redirect(url_for("console.edit_campaign", slug=slug, _anchor="test-call"), code=303)
    audit.record(db.session, current_user(), "campaign.test_call", campaign.slug)
    db.session.commit()
    return redirect(url_for("preview.show", public_id=planned.call.public_id), code=303)


@bp.get("/campaigns/<slug>/campaign.yml")
@requires(Role.organiser)
def export_campaign(slug: str) -> ResponseReturnValue:
    """The campaign as a campaign file, for `flask campaign load` or the console's import elsewhere."""
    campaign = campaign_or_404(slug)
    return Response(
        campaign_yaml(campaign),
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{campaign.slug}.yml"'},
    )


@bp.post("/campaigns/import")
@requires(Role.organiser)
def import_campaign_file() -> ResponseReturnValue:
    """Create or update a campaign from an uploaded campaign file; a bad file changes nothing and says why."""
    upload = request.files.get("campaign_file")
    try:
        text = upload.read(MAX_UPLOAD).decode("utf-8") if upload is not None else ""
        campaign, changes = import_campaign(db.session, text)
    except UnicodeDecodeError:
        flash(_("Nothing was imported: the file is not UTF-8 text."), "error")
        return redirect(url_for("console.index"), code=303)
    except CampaignFileError as exc:
        db.session.rollback()
        problems = "; ".join(say(problem) for problem in exc.problems)
        if exc.line is not None:
            problems = _("line %(line)s: %(problem)s") % {"line": exc.line, "problem": problems}
        flash(_("Nothing was imported: %(problem)s") % {"problem": problems}, "error")
        return redirect(url_for("console.index"), code=303)
    audit.record(db.session, current_user(), "campaign.import", campaign.slug, changes)
    db.session.commit()
    flash(
        _("Imported %(title)s (/c/%(slug)s, %(status)s).")
        % {"title": campaign.title, "slug": campaign.slug, "status": _(STATUS_NAMES[campaign.status.value])},
        "note",
    )
    return redirect(url_for("console.edit_campaign", slug=campaign.slug), code=303)
