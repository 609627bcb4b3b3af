"""`POST /api/v1/campaigns/{slug}/calls`: the request body read as the campaign form, and the form's outcome
told as the API tells it. The call itself is planned by the page's own path (pages.calling.request_call).

No Flask: the route passes the parsed JSON in and sends back what comes out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import lookup
from pages.calling import Submission
from pages.supporter_form import PICK_PREFIX, SupporterForm, pick_field

# Longer than any phone number, address or name the form takes; the checks say what is wrong within that.
FIELD_MAX = {"phone": 40, "location": 300, "name": 200, "town": 200}
REQUIRED = ("phone", "location")
PICK_MAX = 32


@dataclass(frozen=True)
class Refused:
    """What the API answers instead of a call: a problem code, a sentence, and its extension members."""

    code: str
    detail: str
    extra: Mapping[str, Any] = field(default_factory=dict)
    retry_after: int | None = None


def read_call_request(body: object, chambers: Sequence[str]) -> SupporterForm | Refused:
    """The JSON body as the supporter form it stands for, or a validation_error naming each bad field."""
    if not isinstance(body, dict):
        return Refused("validation_error", "The body must be a JSON object.", {"errors": [_error("body", "an object")]})
    errors = []
    for name, limit in FIELD_MAX.items():
        value = body.get(name)
        if value is None:
            if name in REQUIRED:
                errors.append(_error(name, "required"))
        elif not isinstance(value, str):
            errors.append(_error(name, "must be a string"))
        elif len(value) > limit:
            errors.append(_error(name, f"at most {limit} characters"))
    districts = body.get("districts", {})
    allowed_picks = (*chambers, lookup.STATE_PICK)
    if districts is None:
        districts = {}
    if not isinstance(districts, dict):
        errors.append(_error("districts", "must be an object of chamber → district"))
        districts = {}
    for key, value in districts.items():
        if key not in allowed_picks:
            errors.append(_error(f"districts.{key}", f"not one of {', '.join(allowed_picks)}"))
        elif not isinstance(value, str) or len(value) > PICK_MAX:
            errors.append(_error(f"districts.{key}", f"a string of at most {PICK_MAX} characters"))
    if errors:
        return Refused("validation_error", "Some fields are missing or malformed.", {"errors": errors})
    fields = {name: body.get(name) or "" for name in FIELD_MAX}
    fields.update({pick_field(key): value for key, value in districts.items()})
    # Every chamber the caller answered counts as asked: an answer that is not on offer is an error, not a retry.
    asked = [key for key in districts if key in chambers]
    return SupporterForm.from_mapping(fields, chambers, asked=asked)


def refusal_of(outcome: Submission, questions: list[dict[str, Any]]) -> Refused | None:
    """Why the form's outcome is not a call, as the API says it; None when a call was planned."""
    if outcome.call is not None:
        return None
    if outcome.closed:
        return Refused("campaign_closed", "This campaign is not taking calls right now.")
    if outcome.refused is not None:
        # The page's own refusal (security.submissions.Refusal): a block reads exactly as a limit does.
        retry = getattr(outcome.refused, "retry_after", None)
        return Refused(
            "rate_limited",
            "This number or this token has started too many calls lately. Try again later.",
            retry_after=retry or 60,
        )
    errors = [{"field": _field_name(name), "message": text} for name, text in outcome.errors.items()]
    if outcome.asking:
        detail = "Choose one of the candidates for each question, and send the request again with `districts`."
        if errors:
            detail = "A district chosen is not one of the candidates. " + detail
        return Refused("ambiguous_location", detail, {"questions": questions, "errors": errors})
    if "phone" in outcome.errors:
        return Refused("invalid_phone", outcome.errors["phone"], {"errors": errors})
    if "form" in outcome.errors:
        return Refused("no_targets", outcome.errors["form"], {"errors": errors})
    return Refused("validation_error", "Some fields need fixing.", {"errors": errors})


def _field_name(form_field: str) -> str:
    """The form's field as the API's body names it: pick_upper → districts.upper."""
    if form_field.startswith(PICK_PREFIX):
        return "districts." + form_field[len(PICK_PREFIX) :]
    return form_field


def _error(name: str, message: str) -> dict[str, str]:
    return {"field": name, "message": message}
