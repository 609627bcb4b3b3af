"""Every sentence the lookup shows a supporter, in one table of English msgids the catalogs translate."""

from __future__ import annotations

from types import MappingProxyType

from languages import N_, gettext
from lookup.values import LOWER, UPPER, Note

MESSAGES: dict[str, str] = {
    # The supporter's input
    "empty_location": N_("Please type your ZIP code or your street address."),
    "location_too_long": N_(
        "That is longer than any address we know. Please type your ZIP code or your street address."
    ),
    "location_unreadable": N_("We could not read that. Please type your ZIP code or your street address."),
    "zip_malformed": N_("A ZIP code has five digits, like 02108. Please check yours."),
    # Where the supporter lives
    "out_of_state_zip": N_("{zip} is in {place_state}; this campaign is for {campaign_state} legislators."),
    "out_of_state_address": N_("That address is in {place_state}; this campaign is for {campaign_state} legislators."),
    "unknown_zip": N_(
        "We could not find ZIP {zip} on our {campaign_state} district map. Please type your street address instead."
    ),
    "zip_not_in_use": N_("{zip} is not a ZIP code we know. Please check it, or type your street address."),
    "zip_in_states": N_("ZIP {zip} covers parts of {states}. Which state do you live in?"),
    "zip_crosses_state_line": N_(
        "Part of ZIP {zip} is in {place_state}; we have assumed you live in {campaign_state}."
    ),
    # The address lookup
    "address_not_found": N_("We could not find that address, so we used ZIP {zip} instead."),
    "address_not_found_no_zip": N_("We could not find that address. Please type your ZIP code."),
    "geocoder_unavailable": N_("We could not look up street addresses just now, so we used ZIP {zip} instead."),
    "geocoder_unavailable_no_zip": N_("We could not look up street addresses just now. Please type your ZIP code."),
    "address_without_district": N_(
        "We could not place that address in a {chamber_name} district, so we used ZIP {zip} for it."
    ),
    "address_without_district_no_zip": N_(
        "We could not place that address in a {chamber_name} district. Please type your ZIP code."
    ),
    # Districts and seats
    "split_zip": N_("ZIP {zip} is split between {count} {chamber_name} districts. Which one is yours?"),
    "ambiguous_address": N_("That address matches places in {count} {chamber_name} districts. Which one is yours?"),
    "invalid_pick": N_("The {chamber_name} district you chose is not one of those we offered. Please choose again."),
    "pick_ignored": N_("Your {chamber_name} district is {district}, so we used it instead of the one you chose."),
    "no_district_for_chamber": N_("We could not find your {chamber_name} district, so we will skip it."),
    "vacant_seat": N_("The {chamber_name} seat for {district} is vacant right now, so we'll skip it."),
    "no_phone": N_("{title} {name} has no public phone number, so we'll skip them."),
    "nothing_to_call": N_("There is nobody we can call for you right now."),
}

# What a chamber is called where the state's own data does not say (a state's data carries its chambers'
# names from Open States' metadata: "Assembly", "House of Delegates", "Nebraska Legislature").
CHAMBER_NAMES: dict[str, str] = {UPPER: N_("Senate"), LOWER: N_("House")}

# Titles, chamber and party names as the states' data (Open States') spells them: the words of the data
# a page or a call translates. Names of people and districts are never translated.
DATA_WORDS: frozenset[str] = frozenset(
    {
        N_("State Senator"),
        N_("State Representative"),
        N_("Assembly Member"),
        N_("Assemblymember"),
        N_("Delegate"),
        N_("Councilmember"),
        N_("Member"),
        # Where a district elects several members: "your state representatives".
        N_("State Senators"),
        N_("State Representatives"),
        N_("Assembly Members"),
        N_("Assemblymembers"),
        N_("Delegates"),
        N_("Councilmembers"),
        N_("Members"),
        N_("Senate"),
        N_("House"),
        N_("Assembly"),
        N_("Legislature"),
        # Parties, as Open States names them.
        N_("Democratic"),
        N_("Republican"),
        N_("Independent"),
        N_("Libertarian"),
        N_("Green"),
        N_("Nonpartisan"),
        N_("Progressive"),
    }
)

# Each legislature's own "find my legislator" page, the last resort when a supporter can't tell their
# district; Open States' finder covers every state we have no page for.
FIND_MY_LEGISLATOR: dict[str, str] = {
    "MA": "https://malegislature.gov/Search/FindMyLegislator",
    "CA": "https://findyourrep.legislature.ca.gov/",
}
FIND_MY_LEGISLATOR_ANY_STATE = "https://openstates.org/find_your_legislator/"

STATE_NAMES: dict[str, str] = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "the District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "PR": "Puerto Rico",
    "VI": "the U.S. Virgin Islands",
    "GU": "Guam",
    "AS": "American Samoa",
    "MP": "the Northern Mariana Islands",
    "AA": "the overseas military mail system",
    "AE": "the overseas military mail system",
    "AP": "the overseas military mail system",
}


def state_name(code: str) -> str:
    """The name of a state or territory for a sentence; the code itself if we have none."""
    return STATE_NAMES.get(code.upper(), code.upper())


def find_my_legislator_url(state: str) -> str:
    """A public page where someone in `state` can look up their own legislators by address."""
    return FIND_MY_LEGISLATOR.get(state.upper(), FIND_MY_LEGISLATOR_ANY_STATE)


# Words a district's name may already start with: "Ward 3" is said as it is.
_DISTRICT_NOUNS = ("district", "ward", "precinct", "at-large", "at large")


def district_label(name: str, *, article: bool = False, locale: str = "en") -> str:
    """How a sentence names a district: "2nd Suffolk district", "District 12", "Ward 3" (in ``locale``).

    States that number their districts (or letter them: "12A", "B") get "District 12"; a named district
    gets the word after its name, and with ``article`` "the" before it ("the seat for the 2nd Suffolk
    district"); a name that already says what it is ("Ward 3", "At-Large") is kept as it is.
    """
    name = " ".join(name.split())
    lowered = name.lower()
    if lowered.startswith(_DISTRICT_NOUNS) or lowered.endswith(_DISTRICT_NOUNS):
        if article and lowered.endswith("district"):
            return gettext(locale, _THE_NAMED).format(name=name)
        return name
    if " " not in name and len(name) <= 4 and name.isalnum():
        return gettext(locale, _NUMBERED).format(name=name)
    return gettext(locale, _THE_NAMED_DISTRICT if article else _NAMED_DISTRICT).format(name=name)


_NUMBERED = N_("District {name}")
_NAMED_DISTRICT = N_("{name} district")
_THE_NAMED_DISTRICT = N_("the {name} district")
# A name that already ends in "district", with the article a sentence needs.
_THE_NAMED = N_("the {name}")


def note(code: str, **params: object) -> Note:
    """Build a Note from the table; unknown codes are a programming error and raise KeyError."""
    values = {k: str(v) for k, v in params.items()}
    return Note(code=code, text=MESSAGES[code].format(**values), params=MappingProxyType(values))


def note_text(note: Note, locale: str) -> str:
    """A lookup note in ``locale``: its sentence from the catalog, with chamber names and titles translated too."""
    values = {key: data_word(value, locale) for key, value in note.params.items()}
    return gettext(locale, MESSAGES[note.code]).format(**values)


def data_word(value: str, locale: str) -> str:
    """A title or chamber name from the legislature's data in ``locale`` ("State Senator" -> "Senador estatal").

    Only the words in :data:`DATA_WORDS` are translated; anything else (a person's name, a district's
    name, a number) is returned as it is.
    """
    return gettext(locale, value) if value in DATA_WORDS else value


class TargetName(str):
    """A legislator as a line of figures names them: "State Senator Jane Doe" as a `str` (what the CSV, the API,
    the command line and the logs read), its title and name kept apart so a page can translate the title
    (:func:`target_words`); the name is never translated."""

    title_part: str
    name_part: str

    def __new__(cls, title: str, name: str) -> TargetName:
        """The title and the name, joined as English (and the data) writes them."""
        self = super().__new__(cls, f"{title} {name}")
        self.title_part, self.name_part = title, name
        return self

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        # Copies and pickles (dataclasses.asdict deep-copies) are rebuilt from both parts.
        return self.title_part, self.name_part


def target_words(label: str, locale: str) -> str:
    """A :class:`TargetName` with its title in ``locale`` ("Senador estatal Jane Doe"); any other text as it is."""
    if isinstance(label, TargetName):
        return f"{data_word(label.title_part, locale)} {label.name_part}"
    return str(label)
