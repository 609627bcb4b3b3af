"""Render a notice page (refusals, expired forms, an unreachable database) without touching the database."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Response, current_app, render_template, url_for
from werkzeug.routing import BuildError

from languages.web import gettext
from security.messages import NOTICES


def notice_response(key: str, status: int, retry_after: int | None = None, offices: Sequence[object] = ()) -> Response:
    """The kind page for one notice, with its status, Retry-After when known, and never cached."""
    title, text = (gettext(words) for words in NOTICES[key])
    try:
        home = url_for("pages.home")
    except BuildError:
        home = "/"
    body = render_template(
        "notice.html", title=title, text=text, home_url=home, notice=key, retry_after=retry_after, offices=offices
    )
    response = current_app.make_response((body, status))
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    response.headers["Cache-Control"] = "no-store"
    return response
