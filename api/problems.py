"""The API's errors as RFC 9457 problem details (`application/problem+json`), each with a stable `code`.

Integrators branch on `code`, never on the wording: a code, once published, keeps its meaning.
"""

from __future__ import annotations

from typing import Any

from flask import Response, json

API_PREFIX = "/api/v1"
PROBLEM_TYPE_BASE = "https://patchthrough.org/problems/"
MEDIA_TYPE = "application/problem+json"

# code → (HTTP status, title)
PROBLEMS: dict[str, tuple[int, str]] = {
    "unauthorized": (401, "A valid API token is needed"),
    "forbidden": (403, "This token may not do that"),
    "not_found": (404, "No such resource"),
    "method_not_allowed": (405, "This resource does not take that method"),
    "campaign_closed": (409, "The campaign is not taking calls"),
    "unsupported_media_type": (415, "Send the body as application/json"),
    "validation_error": (422, "Some fields need fixing"),
    "invalid_phone": (422, "The phone number cannot be called"),
    "ambiguous_location": (422, "The location is in more than one district: choose one"),
    "no_targets": (422, "Nobody can be called for this location"),
    "rate_limited": (429, "Too many requests"),
    "unavailable": (503, "The service cannot answer right now"),
}


def problem(code: str, detail: str, *, retry_after: int | None = None, **extra: Any) -> Response:
    """A problem response for `code`, with a sentence of detail and any extension members."""
    status, title = PROBLEMS[code]
    body = {"type": PROBLEM_TYPE_BASE + code, "title": title, "status": status, "detail": detail, "code": code}
    body.update(extra)
    response = Response(json.dumps(body), status=status, mimetype=MEDIA_TYPE)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    if code == "unauthorized":
        response.headers["WWW-Authenticate"] = 'Bearer realm="patchthrough"'
    response.headers["Cache-Control"] = "no-store"
    return response
