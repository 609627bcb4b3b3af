"""Twilio's voice vocabulary: the fixed values and formats its platform sends and accepts.

The one home of these facts for the stand-in and for the app (the dialer asks for the
status-callback events, the webhooks accept only Twilio's AnsweredBy values, the flow
hangs up on a machine). Values follow Twilio's public Voice API and webhook documentation.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Final, Literal

API_VERSION: Final = "2010-04-01"
SIGNATURE_HEADER: Final = "X-Twilio-Signature"
# Twilio rejects TwiML response bodies larger than 64 kB (error 11750).
MAX_RESPONSE_BYTES: Final = 64 * 1024

# StatusCallbackEvent values, in the order they happen over a call's life.
STATUS_CALLBACK_EVENTS: Final = ("initiated", "ringing", "answered", "completed")
# The CallStatus of a call that is over.
FINAL_STATUSES: Final = ("completed", "busy", "no-answer", "failed", "canceled")

# DialCallStatus values a <Dial> ends with.
DialStatus = Literal["completed", "busy", "no-answer", "failed", "canceled"]
DIAL_STATUSES: Final = ("completed", "busy", "no-answer", "failed", "canceled")

# AnsweredBy values sent when a call was created with machine detection.
ANSWERED_BY_VALUES: Final = frozenset(
    {
        "human",
        "machine_start",
        "machine_end_beep",
        "machine_end_silence",
        "machine_end_other",
        "fax",
        "unknown",
    }
)
# The AnsweredBy values that mean no person picked up ("unknown" is not one: it may be a person).
MACHINE_ANSWERED_BY: Final = frozenset(
    {"machine_start", "machine_end_beep", "machine_end_silence", "machine_end_other", "fax"}
)

# A call's SID: "CA" and 32 hexadecimal digits.
CALL_SID: Final = re.compile(r"CA[0-9a-fA-F]{32}")

# MachineDetection values of the Calls API; with AsyncAmd=true the call's Url is fetched at once
# (no AnsweredBy on it) and the verdict is POSTed to AsyncAmdStatusCallback as AnsweredBy.
MACHINE_DETECTION_MODES: Final = ("Enable", "DetectMessageEnd")
ASYNC_AMD_VALUES: Final = ("true", "false")

# Keys a caller can press.
DTMF_KEYS: Final = frozenset("0123456789*#")


def new_sid(prefix: str) -> str:
    """A Twilio-shaped SID: two-letter prefix plus 32 lowercase hex digits."""
    return prefix + secrets.token_hex(16)


def rfc2822(dt: datetime) -> str:
    """Format a datetime the way Twilio does ("Tue, 05 Mar 2024 12:00:00 +0000")."""
    return format_datetime(dt.astimezone(UTC))
