"""Render a notice page (refusals, expired forms, an unreachable database) without touching the database."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Response, current_app, render_template, request, url_for
from werkzeug.routing import BuildError

from languages.web import gettext
from security.messages import NOTICES

_BACK = "patchthrough.notice_back"


def notices_lead_back_to(url: str) -> None:
    """A notice answering this request leads back to ``url`` instead of the home page (the embedded form, in its
    frame: the supporter stays where they are)."""
    request.environ[_BACK] = url


def notice_response(key: str, status: int, retry_after: int | None = None, offices: Sequence[object] = ()) -> Response:
    """The kind page for one notice, with its status, Retry-After when known, and never cached."""
    title, text = (gettext(words) for words in NOTICES[key])
    back = request.environ.get(_BACK)
    try:
        home = back or url_for("pages.home")
    except BuildError:
        home = "/"
    body = render_template(
        "notice.html",
        title=title,
        text=text,
        home_url=home,
        in_frame=back is not None,
        notice=key,
        retry_after=retry_after,
        offices=offices,
    )
    response = current_app.make_response((body, status))
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    response.headers["Cache-Control"] = "no-store"
    return response
