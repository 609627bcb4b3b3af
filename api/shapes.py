"""The API's JSON shapes, built from plain values: campaigns, results, legs, a planned call, a district question.

No Flask and no database: what goes out is decided here, once, and never carries a phone number,
a supporter's name or their town.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import lookup
from models import Call, Campaign
from results.figures import Results
from results.records import LegRow

CURSOR_VERSION = "1"


def _plain(value: Any) -> Any:
    """Dataclasses, datetimes and containers as JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def campaign_shape(campaign: Campaign, page_url: str) -> dict[str, Any]:
    """A campaign as the list shows it."""
    ends = campaign.ends_at.astimezone(ZoneInfo(campaign.timezone)) if campaign.ends_at else None
    return {
        "slug": campaign.slug,
        "title": campaign.title,
        "status": campaign.status.value,
        "state": campaign.state,
        "timezone": campaign.timezone,
        "ends_at": ends.isoformat() if ends else None,
        "page_url": page_url,
        "target_chambers": list(campaign.target_chambers),
    }


def results_shape(campaign: Campaign, figures: Results, now: datetime) -> dict[str, Any]:
    """Every figure of the console's results page, as the console computes them (results/)."""
    return {"campaign": campaign.slug, "computed_at": now.isoformat(), **_plain(figures)}


def leg_shape(row: LegRow) -> dict[str, Any]:
    """One leg, with the columns of the calls CSV."""
    leg = row.leg
    return {
        "call": row.call_id,
        "requested_at": row.requested_at.isoformat(),
        "call_status": row.call_status,
        "answered_by": row.answered_by,
        "leg": leg.position + 1,
        "district": leg.district or None,
        "target": leg.target or None,
        "twilio_status": leg.status,
        "supporter_answer": leg.feedback,
        "skip_reason": leg.skip_reason,
        "started_at": leg.started_at.isoformat() if leg.started_at else None,
        "duration_seconds": leg.duration,
        "failed_over_from": list(leg.failovers),
        "source": row.source,
    }


def encode_cursor(call_id: int, position: int) -> str:
    """An opaque cursor for the leg after which the next page starts."""
    raw = f"{CURSOR_VERSION}:{call_id}:{position}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, int] | None:
    """The (call id, position) a cursor stands for; None when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        version, call_id, position = raw.split(":")
        if version != CURSOR_VERSION or not call_id.isdigit() or not position.isdigit():
            return None
        return int(call_id), int(position)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def call_shape(call: Call, status_url: str, page_url: str, notes: tuple[str, ...]) -> dict[str, Any]:
    """A call just planned: its id, where to follow it, and whom it will connect to (never the number)."""
    return {
        "id": call.public_id,
        "status": call.status.value,
        "status_url": status_url,
        "call_url": page_url,
        "scheduled_for": call.scheduled_for.isoformat() if call.scheduled_for else None,
        "targets": [
            {
                "position": leg.position + 1,
                "name": leg.target.name if leg.target else None,
                "title": leg.target.title if leg.target else None,
                "skip_reason": leg.skip_reason,
            }
            for leg in call.legs
        ],
        "notes": list(notes),
        "preview": call.preview,
        "language": call.locale,
    }


def question_shapes(resolution: lookup.Resolution, chamber_name: dict[str, str]) -> list[dict[str, Any]]:
    """What a caller must choose before the call can be planned: a district per split chamber, or the state."""
    if resolution.status is lookup.Status.ASK_STATE:
        return [
            {
                "choose": lookup.STATE_PICK,
                "label": "state",
                "candidates": [{"value": state, "label": state} for state in resolution.states],
            }
        ]
    return [
        {
            "choose": question.chamber,
            "label": chamber_name.get(question.chamber, question.chamber),
            "candidates": [
                {
                    "value": candidate.district.census_geoid,
                    "label": candidate.district.name,
                    "rank": candidate.rank,
                    "targets": list(candidate.target_names),
                }
                for candidate in question.candidates
            ],
        }
        for question in resolution.questions
    ]
