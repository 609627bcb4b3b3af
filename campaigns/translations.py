"""A campaign in the reader's language: each text from the campaign's translation into it, or, where that
translation lacks it, in the campaign's own language. No Flask."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from campaigns.schema import TEXT_FIELDS
from languages import DEFAULT_LOCALE, LOCALES, normalize
from models import Campaign


def campaign_locale(campaign: Campaign) -> str:
    """The language the campaign is written in (its `language`, en-US by default)."""
    return normalize(campaign.language) or DEFAULT_LOCALE


def text(campaign: Campaign, name: str, locale: str) -> Any:
    """One text field in ``locale``: the campaign's translation, else its own text."""
    if locale != campaign_locale(campaign):
        translated = (campaign.translations or {}).get(locale, {}).get(name)
        if translated:
            return translated
    return getattr(campaign, name)


def missing(campaign: Campaign, locale: str) -> list[str]:
    """The texts the campaign has but has not translated into ``locale`` (none in its own language)."""
    if locale == campaign_locale(campaign):
        return []
    given = (campaign.translations or {}).get(locale, {})
    return [name for name in TEXT_FIELDS if getattr(campaign, name) and not given.get(name)]


# What the call itself says of the campaign's texts (the title only where a campaign has no greeting).
SPOKEN_FIELDS = ("greeting", "talking_points", "goodbye")


def call_locale(campaign: Campaign, wanted: str) -> str:
    """The language a call in ``wanted`` speaks: that one when the campaign's spoken texts are all translated
    into it, else the campaign's own, so a call never switches language halfway."""
    own = campaign_locale(campaign)
    if wanted not in LOCALES or wanted == own:
        return own
    return own if set(missing(campaign, wanted)) & set(SPOKEN_FIELDS) else wanted


def missing_by_locale(campaign: Campaign) -> dict[str, list[str]]:
    """For the console: each other language and the texts it still lacks (an empty list: complete)."""
    return {locale: missing(campaign, locale) for locale in LOCALES if locale != campaign_locale(campaign)}


@dataclass(frozen=True)
class LocalizedCampaign:
    """The campaign as a page shows it in ``locale``: text fields translated where they can be, the rest as is."""

    campaign: Campaign
    locale: str

    def __getattr__(self, name: str) -> Any:
        if name in TEXT_FIELDS:
            return text(self.campaign, name, self.locale)
        return getattr(self.campaign, name)

    @property
    def content_locale(self) -> str:
        """The campaign's own language, in which any untranslated text is shown."""
        return campaign_locale(self.campaign)

    @property
    def untranslated(self) -> list[str]:
        """The texts shown in the campaign's own language rather than the reader's."""
        return missing(self.campaign, self.locale)

    @property
    def translated(self) -> bool:
        """Whether the campaign has any text of its own in the reader's language."""
        return self.locale == self.content_locale or bool((self.campaign.translations or {}).get(self.locale))
