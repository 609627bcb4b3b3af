"""The JSON body of each event. No Flask.

Never the supporter's number. Never their name or e-mail either: the campaign form does not ask
for consent to share them with the organiser's systems, so they stay with the call.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from models import Call, CallLeg, EventType, WebhookEvent


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def _leg(leg: CallLeg, completed: bool) -> dict[str, Any]:
    target = leg.target
    district = leg.district or (target.district if target else None)
    body: dict[str, Any] = {
        "position": leg.position,
        "target": {"name": target.name, "title": target.title, "party": target.party} if target else None,
        "district": {"name": district.name, "chamber": district.chamber, "geoid": district.census_geoid}
        if district
        else None,
    }
    if completed:
        body.update(
            # Twilio's DialCallStatus for the office line that decided the leg, or ours (skipped, canceled…).
            status=leg.status.value,
            skip_reason=leg.skip_reason,
            # What the supporter said happened, when the campaign asks (spoke, voicemail, no_answer).
            answer=leg.feedback,
            duration=leg.duration,
            attempts=leg.attempts,
        )
    return body


def event_body(event: WebhookEvent) -> dict[str, Any]:
    """The event as the endpoint receives it."""
    call: Call = event.call
    completed = event.type is EventType.call_completed
    about: dict[str, Any] = {
        "id": f"call_{call.id}",
        "source": call.source.value,
        "requested_at": _time(call.created_at),
        "scheduled_for": _time(call.scheduled_for),
    }
    if completed:
        about.update(
            status=call.status.value,
            answered_by=call.answered_by,
            ended_at=_time(call.ended_at),
            duration=call.duration,
            not_requested=call.not_requested,
        )
    about["legs"] = [_leg(leg, completed) for leg in call.legs]
    return {
        "id": event.public_id,
        "type": event.type.value,
        "created_at": _time(event.created_at),
        "campaign": {"slug": call.campaign.slug, "title": call.campaign.title},
        "call": about,
    }


def encode(body: dict[str, Any]) -> str:
    """Compact JSON, the exact text that is signed and sent."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)
