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
        # The same menu without 9: on a call-in, where the caller dialed us and 9 means nothing; and on the
        # first menu of a call we placed, which follows the offer to press 9 (said once, not twice in a row).
        "script_instructions_call_in": (
            "When you're ready, press 1 to go on. Press 2 to hear the talking points again."
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
        # A target's office line failed and their next one is tried: "Their State House line was busy.
        # Trying their district office."
        "line_busy": "Their {line} was busy.",
        "line_no_answer": "Nobody answered on their {line}.",
        "line_failed": "Their {line} could not be reached.",
        "trying_next_line": "Trying their {office}.",
        "line_capitol": "State House line",
        "line_district": "district office line",
        "line_other": "office line",
        "office_capitol": "State House office",
        "office_district": "district office",
        "office_other": "other office",
        "thanks_default": "Thank you for calling.",
        "share": "Please share this campaign with your friends.",
        "goodbye": "Goodbye.",
        # The call-in line: someone dialed the campaign's number (callflow/callin.py).
        "callin_campaigns": "Hello, you've reached a calling line for several campaigns.",
        "callin_campaign_choice": "For {title}, press {digit}.",
        "callin_welcome": "Hello, you've reached the calling line for {title}. We'll connect you to your legislators.",
        "callin_returning": "Welcome back. To call {names} again, press 1. To enter a ZIP code, press 2.",
        "callin_zip": "Please enter your five-digit ZIP code.",
        "callin_zip_short": "A ZIP code has five digits.",
        "callin_zip_unusable": "Sorry, we can't find legislators in this campaign's state for that ZIP code.",
        "callin_address": (
            "Your ZIP code is split between districts. To find yours, please say your street number and street "
            "name. Or press 0 to hear the names instead."
        ),
        "callin_address_again": "Sorry, we couldn't find that address in your ZIP code.",
        "callin_address_unheard": "Sorry, I didn't catch that.",
        "callin_geocoder_down": "Sorry, we can't look up addresses right now.",
        "callin_confirm_heard": "We found {address}.",
        "callin_confirm": (
            "So we'll connect you to {names}. If that's right, press 1 or say yes. If not, press 2 or say no."
        ),
        "callin_pick_intro": "Your ZIP code has more than one {member_title}.",
        "callin_pick_choice": "If your {member_title} is {names}, press {digit}.",
        "callin_pick_vacant": "If you live in {district}, where the seat is vacant, press {digit}.",
        "callin_pick_dont_know": "If you don't know, press 0.",
        "callin_text_offer": "To get a text message with a link to the campaign's page instead, press star.",
        "callin_text_sent": "We'll text you a link to the campaign's page. Thank you for calling. Goodbye.",
        "callin_skipped": "As we can't be sure who your {member_title} is, we'll leave them out of this call.",
        "callin_nobody": (
            "Sorry, without knowing your district we have nobody we can be sure to connect you to. "
            "Please visit the campaign's web page to find your legislators. Goodbye."
        ),
        "callin_give_up": (
            "Sorry, we couldn't get your ZIP code. Please call again, or visit the campaign's web page. Goodbye."
        ),
        "callin_found": "Thank you.",
        "callin_closed": (
            "Hello, you've reached the calling line for {title}. It isn't taking calls right now. Goodbye."
        ),
        "callin_refused": "Sorry, we can't take your call right now. Goodbye.",
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
