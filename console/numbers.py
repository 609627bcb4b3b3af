"""The console's number-health page: office numbers that look wrong, and an organiser's three answers to one."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from console.access import current_user, requires
from extensions import db
from languages import N_
from languages.web import gettext as _
from languages.web import say
from models import Role, utcnow
from targets.health import FLAG_SHARE, MIN_DIALS, SHORT_CONNECTION_SECONDS, number_health
from targets.numbers import NumberError, mark_checked, replace_number, set_rotation

# Nested in the console's blueprint (its guards and headers apply): /console/numbers/. The office number
# rides in the form's body, never in a URL.
bp = Blueprint("numbers", __name__, url_prefix="/numbers")
WINDOW_DAYS = 7


@bp.get("/")
@requires(Role.viewer)
def health() -> ResponseReturnValue:
    """The numbers number health flags, with the evidence, and the ones taken out of rotation."""
    found = number_health(db.session, utcnow() - timedelta(days=WINDOW_DAYS))
    return render_template(
        "console/numbers.html",
        flagged=[h for h in found if h.flagged or h.out_of_rotation],
        judged=len(found),
        days=WINDOW_DAYS,
        min_dials=MIN_DIALS,
        share=round(FLAG_SHARE * 100),
        short_seconds=SHORT_CONNECTION_SECONDS,
    )


@bp.post("/act")
@requires(Role.organiser)
def act() -> ResponseReturnValue:
    """Mark checked, take out of (or back into) rotation, or replace: a bad number or action changes nothing."""
    phone, action = request.form.get("phone", "")[:20], request.form.get("action", "")
    user = current_user()
    try:
        if action == "checked":
            mark_checked(db.session, phone, user)
            done = _("%(phone)s is marked checked: it is flagged again only if new calls look wrong.") % {
                "phone": phone
            }
        elif action in ("out", "back"):
            set_rotation(db.session, phone, action == "back", user)
            done = (_("%(phone)s is back in rotation.") if action == "back" else _("%(phone)s is out of rotation.")) % {
                "phone": phone
            }
        elif action == "replace":
            new = replace_number(db.session, phone, request.form.get("new_phone", ""), user)
            done = _("Offices that had %(phone)s now have %(new)s.") % {"phone": phone, "new": new}
        else:
            raise NumberError(N_("Choose what to do with the number."))
    except NumberError as exc:
        db.session.rollback()
        flash(say(exc.args[0]), "error")
        return redirect(url_for("console.numbers.health"), code=303)
    db.session.commit()
    flash(done, "note")
    return redirect(url_for("console.numbers.health"), code=303)
