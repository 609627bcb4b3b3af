"""Who a supporter will reach, in their state's own words: "your state senator and your assembly members"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Until a state's data is loaded we know no titles: the usual ones for the pickers, "legislators" for the sentence.
FALLBACK_TITLES = {"upper": "state senator", "lower": "state representative"}


@dataclass(frozen=True)
class Members:
    """A campaign's chambers with what their members are called and whether a district can have several."""

    chambers: Sequence[str]
    known: Mapping[str, tuple[str, int]]  # chamber → (title, most seats of any district)

    def title(self, chamber: str) -> str:
        """One member's title, in running text: "state senator", "assembly member", "delegate"."""
        known = self.known.get(chamber)
        return known[0].lower() if known else FALLBACK_TITLES.get(chamber, "legislator")

    def reach(self) -> str:
        """Whom the call connects to: "your state senator and your assembly members" (plural where districts share)."""
        if not self.chambers or any(c not in self.known for c in self.chambers):
            return "your legislators"
        words = []
        for chamber in self.chambers:
            title, seats = self.known[chamber]
            words.append(f"your {title.lower()}{'s' if seats > 1 else ''}")
        return " and ".join(words)
