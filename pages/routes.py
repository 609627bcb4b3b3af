"""The supporter-facing routes: each parses the request, calls one function, and renders."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    get_template_attribute,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from markupsafe import Markup

import lookup
from api.problems import API_PREFIX, problem
from calls.planning import accepts_calls
from campaigns import current_campaign, get_campaign
from campaigns.translations import LocalizedCampaign
from dialer import dispatch_call, twilio_configured
from dialer.line import LinePlace, leave_line, place_in_line
from extensions import csrf, db
from languages import N_
from languages.web import current_locale, gettext, with_lang
from lookup.messages import district_label, find_my_legislator_url, state_name
from models import Call, Campaign, find_call, utcnow
from models.directory import chamber_members, zctas_of_districts
from pages.calling import CallSettings, Submission, request_call, take_call_notes
from pages.legislators import Members
from pages.messages import MESSAGES as FORM_MESSAGES
from pages.office_times import ClosedOffices, closed_offices, offices_zone
from pages.phone_numbers import check_phone, display_phone, parse_allowed_countries, tel_uri
from pages.presentation import deadline, fill_script, paragraphs, share_links
from pages.progress import View, describe, missed, page_view, reached
from pages.share_card import share_card
from pages.supporter_form import SupporterForm, pick_field
from phones.hours import zones_for_number
from privacy import PhoneVault, mask_phone
from results.overview import calls_made
from security.submissions import check_submission, client_ip, limit_submissions_per_ip, refusal_response, screen_form
from targets.hours import OfficeHours
from targets.schedules import campaign_offices_hours
from webhooks.queue import dispatch as dispatch_webhooks

bp = Blueprint("pages", __name__)


@bp.record_once
def _check_settings(state: BlueprintSetupState) -> None:
    # A mistyped country code should stop the boot, not turn every supporter away.
    parse_allowed_countries(state.app.config["ALLOWED_COUNTRIES"])


@bp.get("/")
def home() -> ResponseReturnValue:
    """The live campaign's page."""
    campaign = current_campaign()
    if campaign is None:
        return render_template("no_campaign.html"), 404
    return _campaign_page(campaign)


def _localized(campaign: Campaign) -> LocalizedCampaign:
    """The campaign in the page's language (its own where it has no translation)."""
    return LocalizedCampaign(campaign, current_locale())


@bp.get("/c/<slug>")
def campaign(slug: str) -> ResponseReturnValue:
    """Any campaign's page by its slug."""
    return _campaign_page(campaign_or_404(slug))


@bp.get("/c/<slug>/share.png")
def share_image(slug: str) -> ResponseReturnValue:
    """The campaign's link-preview card, drawn from its title and headline; cached until the campaign changes."""
    found = campaign_or_404(slug)
    version = f"{found.id}-{found.updated_at.timestamp():.0f}"
    cache: dict[str, bytes] = current_app.extensions.setdefault("share_cards", {})
    if version not in cache:
        if len(cache) > 64:
            cache.clear()
        cache[version] = share_card(found.title, found.headline, "Patchthrough · Call now")
    response = current_app.make_response((cache[version], 200, {"Content-Type": "image/png"}))
    response.set_etag(version)
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response.make_conditional(request)


@bp.post("/c/<slug>")
@limit_submissions_per_ip
def start_call(slug: str) -> ResponseReturnValue:
    """Take the form: show it again with what to fix or which district, or plan the call and go to its page."""
    # The honeypot and the CAPTCHA first: a bot gets nothing, not even a lookup.
    if (screened := screen_form(request.form)) is not None:
        return screened
    found = campaign_or_404(slug)
    return take_call_form(
        found,
        lambda form, outcome, status: _campaign_page(found, form=form, submission=outcome, status=status),
        _go_to_call_page,
    )


def call_settings() -> CallSettings:
    """The current app's settings for `request_call`: one home for the campaign page, the embedded form and the API."""
    config = current_app.config
    return CallSettings(
        vault=PhoneVault.from_config(config),
        allowed_countries=parse_allowed_countries(config["ALLOWED_COUNTRIES"]),
        geocoder=lookup.census_geocoder(config),
        call_hours=config["SUPPORTER_CALL_HOURS"],
        preview=not twilio_configured(current_app),
    )


def take_call_form(
    found: Campaign,
    show_form: Callable[[SupporterForm, Submission, int], ResponseReturnValue],
    go_to_call: Callable[[str], ResponseReturnValue],
) -> ResponseReturnValue:
    """The call form's answer, for the campaign page and the embedded form alike (both screened it first): the same
    number rules, limits and blocklist; the form again (`show_form`) with what to fix, or the planned call placed."""
    # "Look up my address again" from the picker is a fresh try, not an unanswered question.
    asked = [] if request.form.get("retry_address") else request.form.getlist("asked")
    form = SupporterForm.from_mapping(request.form, found.target_chambers, asked=asked)
    outcome = request_call(
        db.session,
        call_settings(),
        found,
        form,
        now=utcnow(),
        admit=lambda phone_hash, listed: check_submission(db.session, found, phone_hash, client_ip(), listed),
        locale=current_locale(),
        office_hours=_office_hours(found),
    )
    if outcome.refused is not None:
        db.session.rollback()  # the caller's upsert, which read the blocklist: nothing of a refusal is kept
        # Whom they would have reached, to dial themselves: the same list for every kind of refusal here.
        offices = [r.target for r in outcome.resolution.targets if r.target.phone] if outcome.resolution else []
        return refusal_response(outcome.refused, offices)  # type: ignore[arg-type]
    if outcome.call is None:
        status = 409 if outcome.closed else (200 if outcome.asking and not outcome.errors else 422)
        return show_form(form, outcome, status)
    call_id, public_id = outcome.call.id, outcome.call.public_id  # read now: the commit expires them
    db.session.commit()
    # Returns at once: the dialer places the call in the background.
    dispatch_call(call_id)
    if outcome.webhook_events:
        dispatch_webhooks()
    # What the lookup noted is kept on the call: its page says it, with no session needed (the embedded form).
    return go_to_call(public_id)


def _go_to_call_page(public_id: str) -> ResponseReturnValue:
    return redirect(url_for("pages.call", public_id=public_id), code=303)


@bp.post("/c/<slug>/times")
@csrf.exempt  # it changes nothing, and the embedded form's frame has no session to hold a token
@limit_submissions_per_ip
def office_times(slug: str) -> ResponseReturnValue:
    """The choice of times while the offices are closed, shown in the time zone of the number typed so far (the
    page asks when the number changes; the number comes in the body, never the URL); 204 when they are open."""
    found = campaign_or_404(slug)
    form = SupporterForm.from_mapping(request.form, found.target_chambers)
    closed = _offices_closed(found, form)
    if closed is None:
        return "", 204
    html = get_template_attribute("_office_hours.html", "when_choice")(closed, form, {})
    return html, 200, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}


@bp.get("/calls/<public_id>")
def call(public_id: str) -> ResponseReturnValue:
    """The call page: who is calling, the script, whom they will reach, the live state."""
    return call_page(_call_or_404(public_id))


def call_page(found: Call, links: CallLinks | None = None, said: tuple[str, ...] = ()) -> str:
    """The call page's HTML; `links` for the embedded form's own addresses of its status, preview and Cancel, and
    `said` for what it must say where no session carries a flashed message (the embedded form's Cancel)."""
    embedded = {"cancel_url": links.cancel(found), "csrf_token": lambda: links.form_token} if links else {}
    noted = bool(found.notes)
    page = render_template(
        "call.html",
        call=found,
        privacy_href=found.campaign.privacy_url,
        status_url=links.status(found) if links else url_for("pages.call_status", public_id=found.public_id),
        notes=take_call_notes(db.session, found, current_locale()) + said,
        **embedded,
        **_call_view(found, links),
    )
    if noted:
        db.session.commit()  # said once, like a flashed message; after rendering, which the commit would expire
    return page


@bp.get("/calls/<public_id>/status")
def call_status(public_id: str) -> ResponseReturnValue:
    """The call's live state as JSON, for the page's polling script."""
    return call_status_json(_call_or_404(public_id))


def call_status_json(found: Call, links: CallLinks | None = None) -> ResponseReturnValue:
    """The call's live state as JSON: its state, message, legs, and the page's parts when its view changes."""
    view = _call_view(found, links)
    progress, line = view["progress"], view["line"]
    message = get_template_attribute("_call_status.html", "status_message")(progress, view["view"])
    top = get_template_attribute("_call_view.html", "view_top")
    end = get_template_attribute("_call_view.html", "view_end")
    response = jsonify(
        # While the call waits to be dialed: its place in line and the estimate, in the page's words.
        line=None
        if line is None
        else {
            "place": line.place,
            "wait_seconds": line.wait_seconds,
            "message": Markup(get_template_attribute("_call_line.html", "line_message")(line)).striptags(),
        },
        state=progress.state.value,
        final=progress.final,
        # Plain text for the page's textContent: tags dropped, entities turned back into characters.
        message=Markup(message).striptags(),
        current=progress.leg.position if progress.leg is not None else None,
        legs=[{"position": leg.position, "state": state.value} for leg, state in progress.legs],
        # The page as a whole, so its heading, words, demo box and ending never disagree with the status.
        view=view["view"].value,
        view_html={
            "top": str(top(view["view"], progress, view["masked_phone"], view["caller_number"], line, view["ring_at"])),
            "end": str(
                end(view["view"], progress, view["campaign"], view["share"], view["campaign_url"], view["preview_url"])
            ),
        },
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/calls/<public_id>/cancel")
def cancel_call(public_id: str) -> ResponseReturnValue:
    """Cancel my call: leave the line; nothing is dialed after this (too late once the dialer holds it)."""
    said = cancel_waiting_call(_call_or_404(public_id))
    if said:
        flash(gettext(CANCEL_NOTES[said]), "note")
    return redirect(url_for("pages.call", public_id=public_id), code=303)


# What Cancel my call tells the supporter, by outcome: the call page's flash, and the embedded call page's `?said=`.
CANCEL_NOTES: dict[str, str] = {
    "canceled": N_("Your call is canceled: we won't call you."),
    "too_late": N_("It's too late to cancel: we're calling you right now."),
}


def cancel_waiting_call(found: Call) -> str | None:
    """Take the call out of the line unless a dialer holds it (then it is too late); what to tell the supporter,
    as a key of CANCEL_NOTES, or None."""
    if leave_line(db.session, found, utcnow()):
        db.session.commit()
        dispatch_webhooks()
        return "canceled"
    db.session.rollback()
    if found.status.value == "queued":
        return "too_late"
    return None


@dataclass(frozen=True)
class CallLinks:
    """Where a call page's script polls and where its preview is, when not the usual addresses (the embedded form)."""

    status: Callable[[Call], str]
    preview: Callable[[Call], str]
    cancel: Callable[[Call], str]
    # What the page's forms carry instead of the session's CSRF token.
    form_token: str


def _call_view(found: Call, links: CallLinks | None = None) -> dict:
    """What the call page and the status JSON both show: the progress, its view, and the words around it."""
    progress = describe(found)
    campaign = _localized(found.campaign)
    campaign_url = _campaign_url(found.campaign)
    vault_number = (
        PhoneVault.from_config(current_app.config).decrypt(found.phone_encrypted) if found.phone_encrypted else None
    )
    preview = None
    if not twilio_configured(current_app) and "preview.show" in current_app.view_functions:
        preview = links.preview(found) if links else url_for("preview.show", public_id=found.public_id)
    view: View = page_view(progress, preview is not None)
    return {
        "progress": progress,
        "view": view,
        "line": _line(found),
        "campaign": campaign,
        "caller_number": _caller_number(found.campaign),
        "masked_phone": mask_phone(vault_number) if vault_number else None,
        "campaign_url": campaign_url,
        "share": share_links(campaign_url, campaign.share_text, campaign.title),
        "preview_url": preview,
        # A call waiting for the supporter's morning: when it rings, in the time zone of their number.
        "ring_at": found.scheduled_for.astimezone(zones_for_number(vault_number, found.campaign.timezone)[0])
        if found.scheduled_for and vault_number
        else None,
    }


def _line(found: Call) -> LinePlace | None:
    """The call's place in line, when a real phone line will dial it (not in the preview)."""
    if not twilio_configured(current_app):
        return None
    return place_in_line(db.session, found, float(current_app.config["TWILIO_CPS"]))


@bp.get("/privacy")
def privacy() -> ResponseReturnValue:
    """What the service keeps about a supporter, for how long, and who runs the live campaign."""
    live = current_campaign()
    return render_template("privacy.html", campaign=_localized(live) if live else None)


@bp.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """Browsers and crawlers ask here whatever the page links: send them to the icon."""
    return redirect(static_url("favicon.svg"), code=301)


@bp.app_template_global()
def static_url(filename: str) -> str:
    """A static file's URL carrying a hash of its content, so it can be cached for a long time."""
    return url_for("static", filename=filename, v=_static_version(Path(current_app.static_folder or ""), filename))


bp.add_app_template_global(display_phone, "display_phone")
bp.add_app_template_global(tel_uri, "tel_uri")
bp.add_app_template_global(
    lambda name, article=False: district_label(name, article=article, locale=current_locale()), "district_label"
)
bp.add_app_template_global(state_name, "state_name")
bp.add_app_template_global(find_my_legislator_url, "find_my_legislator_url")
bp.add_app_template_global(pick_field, "pick_field")
bp.add_app_template_global(paragraphs, "paragraphs")
bp.add_app_template_global(fill_script, "fill_script")
bp.add_app_template_global(reached, "reached")
bp.add_app_template_global(missed, "missed")
# The message tables, so the inline checks in the browser say exactly what the server says.
bp.record_once(
    lambda state: state.app.jinja_env.globals.update(form_messages=FORM_MESSAGES, lookup_messages=lookup.MESSAGES)
)


@bp.app_errorhandler(404)
def not_found(error: Exception) -> ResponseReturnValue:
    """A plain page in the site's layout for a missing campaign, call, or any unknown address (a problem document
    under the API's prefix, where a script is asking)."""
    if request.path.startswith(API_PREFIX + "/"):
        return problem("not_found", "There is nothing at this address in the API.")
    return render_template("not_found.html"), 404


_versions: dict[tuple[str, float], str] = {}


def _static_version(folder: Path, filename: str) -> str:
    path = folder / filename
    try:
        key = (str(path), path.stat().st_mtime)
    except OSError:
        return ""
    if key not in _versions:
        _versions[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return _versions[key]


def campaign_or_404(slug: str) -> Campaign:
    """The campaign by slug with what planning its calls reads, unless it is a draft; else 404."""
    found = get_campaign(slug)
    if found is None:
        abort(404)
    return found


def _call_or_404(public_id: str) -> Call:
    found = find_call(db.session, public_id, with_plan=True)
    if found is None:
        abort(404)
    return found


def campaign_preview(campaign: Campaign) -> ResponseReturnValue:
    """The campaign's page as supporters will see it once it is live, for the organiser's console (drafts too)."""
    return _campaign_page(campaign, preview=True)


def _campaign_page(
    campaign: Campaign,
    form: SupporterForm | None = None,
    submission: Submission | None = None,
    status: int = 200,
    preview: bool = False,
) -> ResponseReturnValue:
    context = call_form_context(campaign, form, submission)
    context.update(
        organiser_preview=preview,
        open=preview or context["open"],
        deadline=deadline(campaign.ends_at, campaign.timezone),
        call_in_preview=_call_in_preview(campaign),
        campaign_url=_campaign_url(campaign),
        share_image_url=public_url(url_for("pages.share_image", slug=campaign.slug)),
        calls_made=_calls_made(campaign),
        privacy_href=campaign.privacy_url,
    )
    return render_template("campaign.html", **context), status


def call_form_context(
    campaign: Campaign, form: SupporterForm | None = None, submission: Submission | None = None
) -> dict[str, Any]:
    """What the call form (_call_form.html) shows, on the campaign page and in the embedded form."""
    resolution = submission.resolution if submission else None
    asking = resolution if submission and submission.asking else None
    return {
        "campaign": _localized(campaign),
        "open": accepts_calls(campaign, utcnow()),
        "caller_number": _caller_number(campaign),
        "form": form or SupporterForm(),
        "errors": submission.errors if submission else {},
        "asking": asking,
        "places": _places(asking, campaign.state),
        "address_lookup": bool(current_app.config["CENSUS_GEOCODER_URL"]),
        "offices_closed": _offices_closed(campaign, form),
        "members": Members(
            tuple(campaign.target_chambers), chamber_members(db.session, campaign.state), current_locale()
        ),
    }


def _office_hours(campaign: Campaign) -> list[OfficeHours]:
    """The hours of the offices a supporter of the campaign reaches; none when the deployment ignores hours."""
    if current_app.config.get("OFFICE_HOURS") == "always":
        return []
    return campaign_offices_hours(db.session, campaign)


def _offices_closed(campaign: Campaign, form: SupporterForm | None) -> ClosedOffices | None:
    """What the page says and offers while every office is closed, in the supporter's time zone (from the
    number they typed, as the dialer reads it), else the offices' own."""
    schedules = _office_hours(campaign)
    zone = offices_zone(schedules, campaign.timezone)
    if form is not None and form.phone:
        phone = check_phone(form.phone, parse_allowed_countries(current_app.config["ALLOWED_COUNTRIES"]))
        if phone.e164:
            zone = zones_for_number(phone.e164, zone)[0].key
    return closed_offices(schedules, utcnow(), zone)


def _places(asking: lookup.Resolution | None, state: str) -> dict[tuple[str, str], tuple[tuple[str, ...], int]]:
    """For the district picker: the towns each candidate district covers, from its ZIP codes."""
    if asking is None:
        return {}
    candidates = [c.district for question in asking.questions for c in question.candidates]
    return {
        key: lookup.places_covered(zctas, state) for key, zctas in zctas_of_districts(db.session, candidates).items()
    }


# A count on every page view would be a query per visitor in a surge: remember it for a minute.
CALLS_MADE_CACHE_SECONDS = 60.0


def _calls_made(campaign: Campaign) -> int:
    cache: dict[int, tuple[float, int]] = current_app.extensions.setdefault("calls_made", {})
    now = time.monotonic()
    cached = cache.get(campaign.id)
    if cached is None or now - cached[0] > CALLS_MADE_CACHE_SECONDS:
        cached = (now, calls_made(db.session, campaign))
        cache[campaign.id] = cached
    return cached[1]


@bp.app_template_global()
def contact_href(contact: str) -> str:
    """A link for a campaign's contact: mailto: for an e-mail address, else the address itself."""
    return contact if contact.startswith(("http://", "https://")) else f"mailto:{contact}"


def _caller_number(campaign: Campaign) -> str | None:
    number = campaign.caller_id or current_app.config["TWILIO_CALLER_ID"]
    return display_phone(number) if number else None


def _call_in_preview(campaign: Campaign) -> str | None:
    """Where to hear the campaign's call-in line in the browser: only when no phone service is set up."""
    if (
        twilio_configured(current_app)
        or not _caller_number(campaign)
        or "preview.call_in" not in current_app.view_functions
    ):
        return None
    return url_for("preview.call_in", slug=campaign.slug)


def _campaign_url(campaign: Campaign) -> str:
    # In the page's language, so a shared link opens the page the way the sharer read it.
    return with_lang(public_url(url_for("pages.campaign", slug=campaign.slug)), current_locale())


def public_url(path: str) -> str:
    # The public origin when configured, so shared links never carry an internal host name.
    base = current_app.config["PUBLIC_BASE_URL"] or request.host_url.rstrip("/")
    return base + path
