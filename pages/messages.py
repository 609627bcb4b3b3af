"""Every sentence the supporter form says from Python, in one table so a translation can follow.

The lookup keeps its own table (lookup/messages.py); everything else lives in the templates.
"""

from __future__ import annotations

from languages import N_, gettext
from languages.web import current_locale

MESSAGES: dict[str, str] = {
    # Outside the offices' hours: the time chosen is not one they are open (a forged or very old form).
    "when_invalid": N_("Please choose Call me now, or one of the times the offices are open."),
    # The phone number
    "phone_empty": N_("Please type your phone number, so we can call you."),
    "phone_unreadable": N_(
        "That doesn't look like a phone number. Please type it with the area code, like (617) 555-0123."
    ),
    "phone_too_short": N_("That number is too short. Please type all ten digits, with the area code."),
    "phone_too_long": N_(
        "That number is too long. Please type the ten digits of your phone number, with the area code."
    ),
    "phone_invalid": N_("That isn't a working phone number. Please check the area code and the number."),
    "phone_foreign": N_("We can only call phone numbers from {allowed}. That is a {country} number."),
    "phone_foreign_unknown": N_("We can only call phone numbers from {allowed}."),
    "phone_toll_free": N_(
        "That is a toll-free number, which we can't call back. Please type the number of the phone you have with you."
    ),
    "phone_premium_rate": N_(
        "That is a premium-rate number, which we don't call. Please type the number of the phone you have with you."
    ),
    "phone_shared_cost": N_(
        "That is a shared-cost service number, which we don't call. Please type the number of "
        "the phone you have with you."
    ),
    "phone_not_personal": N_(
        "We can't call that kind of number (a pager, voicemail or service line). Please type "
        "the number of the phone you have with you."
    ),
    # The other fields
    "name_too_long": N_("Please keep your name under {max} characters."),
    "town_too_long": N_("Please keep your town under {max} characters."),
    "pick_missing": N_("Please choose your {chamber_name} district."),
    # Joins the allowed countries' names: "the United States or Canada".
    "list_or": N_(" or "),
}

# Country names as they read inside a sentence, where libphonenumber's plain names would not
# ("from the United States"); any other country uses libphonenumber's name.
COUNTRY_NAMES: dict[str, str] = {
    "US": "the United States",
    "GB": "the United Kingdom",
    "NL": "the Netherlands",
    "PH": "the Philippines",
    "DO": "the Dominican Republic",
    "BS": "the Bahamas",
}


def message(code: str, **params: object) -> str:
    """The sentence for `code` in the page's language, blanks filled; an unknown code is a bug (KeyError)."""
    return gettext(current_locale(), MESSAGES[code]).format(**{k: str(v) for k, v in params.items()})
