"""The Messages resource of the fake Twilio REST API: ``POST .../Messages.json`` with Twilio's validation errors
and a Twilio-shaped Message JSON reply (what the call-in line's texts use)."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from voicesim.vocabulary import API_VERSION, new_sid, rfc2822

MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<account>[^/]+)/Messages\.json$")
_E164 = re.compile(r"^\+[1-9]\d{1,14}$")
MAX_BODY = 1600  # Twilio's limit on a message body, in characters


def create_message(
    account: str, params: dict[str, str], owned_numbers: Collection[str], error: Any
) -> tuple[int, dict[str, Any]]:
    """Validate like Twilio and return (status, JSON body) for a new outbound message; ``error`` builds error bodies."""
    to, from_, body = params.get("To", ""), params.get("From", ""), params.get("Body", "")
    if not to:
        return 400, error(400, 21604, "A 'To' phone number is required.")
    if not from_:
        return 400, error(400, 21603, "A 'From' phone number is required.")
    if not body:
        return 400, error(400, 21602, "Message body is required.")
    if len(body) > MAX_BODY:
        return 400, error(400, 21617, "The concatenated message body exceeds the 1600 character limit.")
    if not _E164.match(to):
        return 400, error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
    if from_ not in owned_numbers:
        return 400, error(
            400,
            21606,
            f"The From phone number {from_} is not a valid, SMS-capable inbound phone number for your account.",
        )
    sid = new_sid("SM")
    now = rfc2822(datetime.now(UTC))
    base = f"/{API_VERSION}/Accounts/{account}/Messages/{sid}"
    return 201, {
        "account_sid": account,
        "api_version": API_VERSION,
        "body": body,
        "date_created": now,
        "date_sent": None,
        "date_updated": now,
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": from_,
        "messaging_service_sid": None,
        "num_media": "0",
        "num_segments": str(1 + (len(body) - 1) // 153 if len(body) > 160 else 1),
        "price": None,
        "price_unit": "USD",
        "sid": sid,
        "status": "queued",
        "subresource_uris": {"media": f"{base}/Media.json", "feedback": f"{base}/Feedback.json"},
        "to": to,
        "uri": f"{base}.json",
    }
