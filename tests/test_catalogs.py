"""The catalogs: every marked message translated in every language, with the same blanks and tags as English."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from languages import LOCALES, catalog_path, gettext, translations

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = LOCALES[1:]
# %(name)s in templates and Flask code, {name} in the prompt and message tables.
_PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")
# Translations are trusted HTML in the templates: the same elements, with the same attributes, must come back.
_TAG = re.compile(r"</?[a-z]+(?:\s[^>]*)?>")


def _catalog(locale: str) -> Catalog:
    with catalog_path(locale).open("rb") as source:
        return read_po(source, locale=locale)


def _forms(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, tuple | list) else (message.id,)


def _strings(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, tuple | list) else (message.string or "",)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Catalog:
    """What the code and templates mark today, extracted afresh the way `make catalogs` does."""
    pot = tmp_path_factory.mktemp("catalogs") / "messages.pot"
    ignore = ".* _* tests bench node_modules datasets migrations instance data"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "N_", "--no-location",
         f"--ignore-dirs={ignore}", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with pot.open("rb") as source:
        return read_po(source)


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_marked_message_is_translated(locale, extracted):
    catalog = _catalog(locale)
    assert len(extracted) > 300  # the extraction found the app's messages, not nothing
    untranslated = []
    for message in extracted:
        if not message.id:
            continue
        found = catalog.get(message.id)
        if found is None or "fuzzy" in found.flags or not all(_strings(found)):
            untranslated.append(message.id)
    assert untranslated == [], f"{locale}: translate these (make catalogs, then edit {catalog_path(locale)})"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_translations_keep_the_placeholders_and_the_markup(locale):
    problems = []
    for message in _catalog(locale):
        if not message.id:
            continue
        english = _forms(message)
        wanted_blanks = sorted(set(_PLACEHOLDER.findall(english[-1])))
        wanted_tags = sorted(_TAG.findall(english[-1]))
        for text in _strings(message):
            if text and sorted(set(_PLACEHOLDER.findall(text))) != wanted_blanks:
                problems.append(("placeholders", message.id, text))
            if text and sorted(_TAG.findall(text)) != wanted_tags:
                problems.append(("markup", message.id, text))
    assert problems == []


@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalogs_have_no_errors_babel_can_see(locale):
    errors = [(message.id, [str(e) for e in found]) for message, found in _catalog(locale).check() if found]
    assert errors == []


def test_a_message_is_read_from_the_catalog_in_each_language():
    assert gettext("es", "Call now") == "Llamar ahora"
    assert gettext("pt_BR", "Call now") == "Ligar agora"
    assert gettext("en", "Call now") == "Call now"
    assert translations("es").ngettext("Covers %(places)s and %(count)s more place", "", 2).startswith("Incluye")
