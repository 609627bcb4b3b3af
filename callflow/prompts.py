"""Every sentence the call flow speaks, in one table of English msgids the catalogs translate.

Templates use ``str.format`` fields. Campaign-specific text (greeting, talking points,
thank-you) comes from the campaign itself; only the glue sentences live here. A call speaks
one language throughout: :func:`speaking` sets it for the turn being answered.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import Final

from languages import DEFAULT_LOCALE, N_, gettext
from lookup.messages import district_label

_locale: ContextVar[str] = ContextVar("call_locale", default=DEFAULT_LOCALE)

PROMPTS: Final[Mapping[str, str]] = MappingProxyType(
    {
        # Used when a campaign has no greeting of its own.
        "greeting_default": N_("Hello! This is the call you asked for from {title}."),
        # Every call's first sentence after the greeting: a stranger whose number was typed in stops it here.
        "not_requested_offer": N_("If you did not ask for this call, press 9."),
        "not_requested_goodbye": N_("We're sorry to have disturbed you. We won't call this number again. Goodbye."),
        "script_instructions": N_(
            "When you're ready, press 1 to go on. Press 2 to hear the talking points again. "
            "If you did not ask for this call, press 9."
        ),
        # The same menu without 9: on a call-in, where the caller dialed us and 9 means nothing; and on the
        # first menu of a call we placed, which follows the offer to press 9 (said once, not twice in a row).
        "script_instructions_call_in": N_(
            "When you're ready, press 1 to go on. Press 2 to hear the talking points again."
        ),
        "target": N_("{name}"),
        "target_with_district": N_("{name}, {district}"),
        "target_unnamed": N_("your representative"),
        "connecting": N_("Connecting you to {target}. To end the conversation and go on at any time, press star."),
        # Before a leg whose offices are all outside their hours: dialed all the same, for their voicemail.
        "office_closed": N_(
            "Their office is closed right now, so you'll most likely reach voicemail. A message still counts."
        ),
        "offer_instructions": N_(
            "Next is {target}. Press 1 to be connected. Press 2 to hear the talking points again. Press 3 to skip them."
        ),
        "feedback_instructions": N_(
            "How did that go? If you spoke with someone, press 1. "
            "If you left a message, press 2. If you couldn't get through, press 3."
        ),
        "feedback_thanks": N_("Thank you."),
        "vacant": N_("The seat for {district} is vacant right now, so we'll skip it."),
        "vacant_no_district": N_("One of the seats is vacant right now, so we'll skip it."),
        "no_phone": N_("We don't have a phone number for {target}, so we'll skip them."),
        "skipped": N_("Okay, we'll skip {target}."),
        "silence": N_("Sorry, I didn't hear anything."),
        "invalid": N_("Sorry, I didn't get that."),
        # After a <Dial>, by DialCallStatus.
        "dial_completed": N_("Thanks for making that call."),
        "dial_busy": N_("Their line was busy."),
        "dial_no_answer": N_("Nobody answered."),
        "dial_failed": N_("The call didn't go through."),
        "dial_canceled": N_("The call was canceled."),
        # A target's office line failed and their next one is tried: "Their State House line was busy.
        # Trying their district office."
        "line_busy": N_("Their {line} was busy."),
        "line_no_answer": N_("Nobody answered on their {line}."),
        "line_failed": N_("Their {line} could not be reached."),
        "trying_next_line": N_("Trying their {office}."),
        "line_capitol": N_("State House line"),
        "line_district": N_("district office line"),
        "line_other": N_("office line"),
        "office_capitol": N_("State House office"),
        "office_district": N_("district office"),
        "office_other": N_("other office"),
        # Every line of a target is in use (OFFICE_LINE_LIMIT conversations): the next target first, then back.
        "lines_full_later": N_("Every line for {target} is busy right now. We'll come back to them."),
        "back_to": N_(
            "Back to {target}, whose lines were busy before. To end the conversation and go on at any time, press star."
        ),
        "lines_free_again": N_("A line is free now for {target}, whose lines were busy before."),
        # No target still to call has a free line: wait (a short sentence about every 20 seconds) or skip.
        "wait_offer": N_(
            "Every line for {target} is busy right now. Stay on the line and we'll connect you as soon as "
            "one is free. To skip them, press 3."
        ),
        "wait_still": N_("Still waiting for a free line for {target}. To skip them, press 3."),
        "wait_gave_up": N_("The lines for {target} are still busy, so we'll skip them."),
        "thanks_default": N_("Thank you for calling."),
        "share": N_("Please share this campaign with your friends."),
        "goodbye": N_("Goodbye."),
        # The call-in line: someone dialed the campaign's number (callflow/callin.py).
        "callin_campaigns": N_("Hello, you've reached a calling line for several campaigns."),
        "callin_campaign_choice": N_("For {title}, press {digit}."),
        # Said in the language it offers, by that language's voice: "Para español, oprima 2."
        "callin_language_offer": N_("For English, press {digit}."),
        "callin_welcome": N_(
            "Hello, you've reached the calling line for {title}. We'll connect you to your legislators."
        ),
        "callin_returning": N_("Welcome back. To call {names} again, press 1. To enter a ZIP code, press 2."),
        "callin_zip": N_("Please enter your five-digit ZIP code."),
        "callin_zip_short": N_("A ZIP code has five digits."),
        "callin_zip_unusable": N_("Sorry, we can't find legislators in this campaign's state for that ZIP code."),
        "callin_address": N_(
            "Your ZIP code is split between districts. To find yours, please say your street number and street "
            "name. Or press 0 to hear the names instead."
        ),
        "callin_address_again": N_("Sorry, we couldn't find that address in your ZIP code."),
        "callin_address_unheard": N_("Sorry, I didn't catch that."),
        "callin_geocoder_down": N_("Sorry, we can't look up addresses right now."),
        "callin_confirm_heard": N_("We found {address}."),
        "callin_confirm": N_(
            "So we'll connect you to {names}. If that's right, press 1 or say yes. If not, press 2 or say no."
        ),
        "callin_pick_intro": N_("Your ZIP code has more than one {member_title}."),
        "callin_pick_choice": N_("If your {member_title} is {names}, press {digit}."),
        "callin_pick_vacant": N_("If you live in {district}, where the seat is vacant, press {digit}."),
        "callin_pick_dont_know": N_("If you don't know, press 0."),
        "callin_text_offer": N_("To get a text message with a link to the campaign's page instead, press star."),
        "callin_text_sent": N_("We'll text you a link to the campaign's page. Thank you for calling. Goodbye."),
        "callin_skipped": N_("As we can't be sure who your {member_title} is, we'll leave them out of this call."),
        "callin_nobody": N_(
            "Sorry, without knowing your district we have nobody we can be sure to connect you to. "
            "Please visit the campaign's web page to find your legislators. Goodbye."
        ),
        "callin_give_up": N_(
            "Sorry, we couldn't get your ZIP code. Please call again, or visit the campaign's web page. Goodbye."
        ),
        "callin_found": N_("Thank you."),
        "callin_closed": N_(
            "Hello, you've reached the calling line for {title}. It isn't taking calls right now. Goodbye."
        ),
        "callin_refused": N_("Sorry, we can't take your call right now. Goodbye."),
        "inbound_no_campaign": N_("Hello, this calling line has no campaign running right now. Goodbye."),
        # What Twilio hears instead of an error page.
        "apology": N_("We're sorry, something went wrong on our side. Please try again later. Goodbye."),
        "unknown_call": N_("Sorry, we could not find this call. Goodbye."),
        "machine": N_("Hello, this is the call you asked for from {title}. Sorry we missed you. Goodbye."),
    }
)


@contextmanager
def speaking(locale: str) -> Iterator[None]:
    """Speak ``locale`` in every :func:`message` inside the block (one webhook's answer)."""
    token = _locale.set(locale)
    try:
        yield
    finally:
        _locale.reset(token)


def message(key: str, **fields: str) -> str:
    """Return the sentence for ``key``, in the language being spoken, with ``fields`` filled in."""
    return gettext(_locale.get(), PROMPTS[key]).format(**fields)


def district(name: str, *, article: bool = False) -> str:
    """A district's name in a sentence, in the language being spoken ("the 2nd Suffolk district")."""
    return district_label(name, article=article, locale=_locale.get())
