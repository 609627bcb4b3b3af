"""The languages the service speaks: which there are, their catalogs, and a sentence in one of them.

No Flask here: the call flow, the lookup and the dialer translate with an explicit locale, and the
pages bind the request's locale in :mod:`languages.web`.
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Final

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

TRANSLATIONS_DIR: Final = Path(__file__).resolve().parent.parent / "translations"
DOMAIN: Final = "messages"

DEFAULT_LOCALE: Final = "en"
# Each locale the service is written in, by gettext name; the order is the language switch's.
LOCALES: Final = ("en", "es", "pt_BR")
# How each language names itself (the switch shows these, whatever the page's language).
NATIVE_NAMES: Final = {"en": "English", "es": "Español", "pt_BR": "Português"}


class Message(str):
    """A sentence kept untranslated: English as a `str` (what the command line, logs and stored data read), and
    its catalog message with the values of its blanks, so a page can show it in its reader's language.

    Domain code (no Flask, no locale) raises and returns these; the place that shows one to a person
    translates it there (:func:`translated`), so each sentence has one home: where it is said.
    """

    message: str
    values: dict[str, object]

    def __new__(cls, message: str, **values: object) -> Message:
        """``message`` (an English msgid, with `%(name)s` blanks when there are ``values``) filled in, in English."""
        self = super().__new__(cls, message % values if values else message)
        self.message, self.values = message, values
        return self

    def translated(self, locale: str) -> str:
        """The sentence in ``locale``, its blanks filled in (a blank that is itself a Message translated too)."""
        text = gettext(locale, self.message)
        if not self.values:
            return text
        return text % {name: translated(value, locale) for name, value in self.values.items()}


def N_(message: str, **values: object) -> Message:
    """Mark ``message`` for the catalogs without translating it: tables and sentences are translated when shown."""
    return Message(message, **values)


def translated(text: object, locale: str) -> str:
    """A :class:`Message` in ``locale``; anything else (a name, a number, a plain string) as it is."""
    return text.translated(locale) if isinstance(text, Message) else str(text)


def normalize(tag: str | None) -> str | None:
    """Our locale for a language tag or locale name ("es-MX" -> "es", "pt" -> "pt_BR"); None if we have none."""
    if not tag:
        return None
    parts = tag.strip().replace("-", "_").split("_")
    language = parts[0].lower()
    region = parts[1].upper() if len(parts) > 1 else ""
    if f"{language}_{region}" in LOCALES:
        return f"{language}_{region}"
    if language in LOCALES:
        return language
    # A language we speak in one country only stands for all of its variants (pt-PT readers get pt_BR).
    matches = [locale for locale in LOCALES if locale.split("_")[0] == language]
    return matches[0] if matches else None


def language_tag(locale: str) -> str:
    """The BCP 47 tag for a page's `lang` attribute: "pt_BR" -> "pt-BR"."""
    return locale.replace("_", "-")


def catalog_path(locale: str, suffix: str = ".po") -> Path:
    """Where ``locale``'s catalog lives: translations/<locale>/LC_MESSAGES/messages.po (or .mo)."""
    return TRANSLATIONS_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@cache
def translations(locale: str) -> NullTranslations:
    """The catalog for ``locale`` (English, the source language, needs none).

    `make` compiles each .po into its .mo; a checkout that has not (a test run, a fresh deploy) or whose
    .mo is older than its .po gets the .po compiled in memory, so a stale catalog is never served.
    """
    if locale not in LOCALES or locale == DEFAULT_LOCALE:
        return NullTranslations()
    po, mo = catalog_path(locale), catalog_path(locale, ".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as compiled:
            return Translations(compiled, domain=DOMAIN)
    with po.open("rb") as source:
        catalog = read_po(source, locale=locale, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def gettext(locale: str, message: str) -> str:
    """``message`` (an English msgid) in ``locale``; English when the catalog lacks it."""
    return translations(locale).gettext(message)


def ngettext(locale: str, singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for ``n``, in ``locale``."""
    return translations(locale).ngettext(singular, plural, n)
