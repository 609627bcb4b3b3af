"""Every sentence the call flow speaks, in one table, so a translation only replaces this file.

Templates use ``str.format`` fields. Campaign-specific text (greeting, talking points,
thank-you) comes from the campaign itself; only the glue sentences live here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

PROMPTS: Final[Mapping[str, str]] = MappingProxyType(
    {
        # Used when a campaign has no greeting of its own.
        "greeting_default": "Hello! This is the call you asked for from {title}.",
        # Every call's first sentence after the greeting: a stranger whose number was typed in stops it here.
        "not_requested_offer": "If you did not ask for this call, press 9.",
        "not_requested_goodbye": "We're sorry to have disturbed you. We won't call this number again. Goodbye.",
        "script_instructions": (
            "When you're ready, press 1 to go on. Press 2 to hear the talking points again. "
            "If you did not ask for this call, press 9."
        ),
        "target": "{name}",
        "target_with_district": "{name}, {district}",
        "target_unnamed": "your representative",
        "connecting": ("Connecting you to {target}. To end the conversation and go on at any time, press star."),
        "offer_instructions": (
            "Next is {target}. Press 1 to be connected. Press 2 to hear the talking points again. Press 3 to skip them."
        ),
        "feedback_instructions": (
            "How did that go? If you spoke with someone, press 1. "
            "If you left a message, press 2. If you couldn't get through, press 3."
        ),
        "feedback_thanks": "Thank you.",
        "vacant": "The seat for {district} is vacant right now, so we'll skip it.",
        "vacant_no_district": "One of the seats is vacant right now, so we'll skip it.",
        "no_phone": "We don't have a phone number for {target}, so we'll skip them.",
        "skipped": "Okay, we'll skip {target}.",
        "silence": "Sorry, I didn't hear anything.",
        "invalid": "Sorry, I didn't get that.",
        # After a <Dial>, by DialCallStatus.
        "dial_completed": "Thanks for making that call.",
        "dial_busy": "Their line was busy.",
        "dial_no_answer": "Nobody answered.",
        "dial_failed": "The call didn't go through.",
        "dial_canceled": "The call was canceled.",
        "thanks_default": "Thank you for calling.",
        "share": "Please share this campaign with your friends.",
        "goodbye": "Goodbye.",
        # Someone called the campaign's number (often a supporter calling back a missed call).
        "inbound": (
            "Hello, you've reached the calling line for {title}. We only place calls that supporters "
            "ask for on the campaign's web page. To be connected to your legislators, please visit "
            "the page again and press Call now. Goodbye."
        ),
        "inbound_no_campaign": "Hello, this calling line has no campaign running right now. Goodbye.",
        # What Twilio hears instead of an error page.
        "apology": "We're sorry, something went wrong on our side. Please try again later. Goodbye.",
        "unknown_call": "Sorry, we could not find this call. Goodbye.",
        "machine": ("Hello, this is the call you asked for from {title}. Sorry we missed you. Goodbye."),
    }
)


def message(key: str, **fields: str) -> str:
    """Return the sentence for ``key`` with ``fields`` filled in."""
    return PROMPTS[key].format(**fields)
