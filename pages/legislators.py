"""Who a supporter will reach, in their state's own words: "your state senator and your assembly members"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from languages import N_, gettext
from lookup.messages import data_word

# Until a state's data is loaded we know no titles: the usual ones for the pickers, "legislators" for the sentence.
FALLBACK_TITLES = {"upper": N_("State Senator"), "lower": N_("State Representative")}

_YOUR_ONE = N_("your {title}")
_YOUR_SEVERAL = N_("your {titles}")
_BOTH = N_("{first} and {second}")
_ANYONE = N_("your legislators")
_LEGISLATOR = N_("legislator")


@dataclass(frozen=True)
class Members:
    """A campaign's chambers with what their members are called and whether a district can have several."""

    chambers: Sequence[str]
    known: Mapping[str, tuple[str, int]]  # chamber → (title, most seats of any district)
    locale: str = "en"

    def title(self, chamber: str) -> str:
        """One member's title, in running text: "state senator", "assembly member", "delegate"."""
        known = self.known.get(chamber)
        if known:
            return data_word(known[0], self.locale).lower()
        fallback = FALLBACK_TITLES.get(chamber)
        return gettext(self.locale, fallback or _LEGISLATOR).lower()

    def reach(self) -> str:
        """Whom the call connects to: "your state senator and your assembly members" (plural where districts share)."""
        if not self.chambers or any(c not in self.known for c in self.chambers):
            return gettext(self.locale, _ANYONE)
        words = []
        for chamber in self.chambers:
            title, seats = self.known[chamber]
            if seats > 1:
                # The data has the singular; the catalogs know the plurals of the titles states use.
                plural = data_word(f"{title}s", self.locale)
                words.append(gettext(self.locale, _YOUR_SEVERAL).format(titles=plural.lower()))
            else:
                words.append(gettext(self.locale, _YOUR_ONE).format(title=data_word(title, self.locale).lower()))
        phrase = words[0]
        for word in words[1:]:
            phrase = gettext(self.locale, _BOTH).format(first=phrase, second=word)
        return phrase
