"""The page's language: chosen by `?lang=`, then the cookie that remembers it, then Accept-Language.

Flask-Babel serves the templates' `_()`; this module decides the locale, keeps the supporter's choice,
and gives the templates the language switch.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel import Locale
from flask import Flask, Response, has_request_context, request, url_for
from flask_babel import get_locale, refresh

from extensions import babel
from languages import (
    DEFAULT_LOCALE,
    LOCALES,
    NATIVE_NAMES,
    TRANSLATIONS_DIR,
    formats,
    language_tag,
    normalize,
    translated,
    translations,
)
from lookup.messages import data_word, note_text, target_words
from lookup.values import Note

COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
LANG_PARAM = "lang"


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with our locale selector, remember choices, and give templates the switch."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    # Flask-Babel picks the locale; the templates' `_()` read the same catalogs as the call (languages.translations).
    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel keeps the locale on `g`, which outlives a request where an app context was already pushed.
    app.before_request(refresh)
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: translations(current_locale()).gettext(message),
        lambda singular, plural, n: translations(current_locale()).ngettext(singular, plural, n),
        newstyle=True,
    )
    app.after_request(remember_choice)
    app.context_processor(_template_values)
    for helper in (clock, day, number, say_note, data, target, language_name, say, duration, when, date_of):
        app.add_template_global(helper)
    app.add_template_global(local_time, "in_zone")
    app.add_template_global(formats.zone, "zone")


def select_locale() -> str:
    """The request's locale: `?lang=`, the cookie, then the browser's Accept-Language; English otherwise."""
    chosen = normalize(request.args.get(LANG_PARAM)) or normalize(request.cookies.get(COOKIE))
    if chosen:
        return chosen
    # The browser's languages by preference; the first we speak wins ("es-MX" is ours as "es").
    for tag, _quality in request.accept_languages:
        if locale := normalize(tag):
            return locale
    return DEFAULT_LOCALE


def current_locale() -> str:
    """The locale of the request being served; English outside a request (a CLI command, a job)."""
    if not has_request_context():
        return DEFAULT_LOCALE
    return normalize(str(get_locale())) or DEFAULT_LOCALE


def remember_choice(response: Response) -> Response:
    """Keep a `?lang=` choice in a cookie, so the next page (and the call) follow it."""
    if not has_request_context():
        return response
    chosen = normalize(request.args.get(LANG_PARAM))
    if chosen and request.cookies.get(COOKIE) != chosen:
        response.set_cookie(
            COOKIE,
            chosen,
            max_age=COOKIE_MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=bool(request.is_secure),
        )
    if response.mimetype == "text/html":
        # The same URL reads differently by language: caches must keep them apart.
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    return response


def with_lang(url: str, locale: str) -> str:
    """``url`` with `?lang=` set, so a shared link opens in the sharer's language (English links stay bare)."""
    if locale == DEFAULT_LOCALE:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urlencode({LANG_PARAM: locale})}"


def switch_links() -> list[dict[str, object]]:
    """The language switch: each language by its own name, linking to this page in it."""
    here = current_locale()
    if request.method == "GET" and request.endpoint:
        values: dict[str, Any] = dict(request.view_args or {})
        values.update((key, value) for key, value in request.args.items() if key != LANG_PARAM)
        base = url_for(request.endpoint, **values)
    else:
        # A page answering a form has no address of its own to reload: the campaign's page stands in.
        base = url_for("pages.home")
    return [
        {
            "locale": locale,
            "tag": language_tag(locale),
            "name": NATIVE_NAMES[locale],
            "href": f"{base}{'&' if '?' in base else '?'}{urlencode({LANG_PARAM: locale})}",
            "current": locale == here,
        }
        for locale in LOCALES
    ]


def _template_values() -> dict[str, object]:
    locale = current_locale()
    return {"locale": locale, "lang": language_tag(locale), "language_links": switch_links}


def clock(moment: datetime, seconds: bool = False) -> str:
    """A time of day in the page's language (in ``moment``'s own zone)."""
    return formats.clock(moment, current_locale(), seconds=seconds)


def local_time(moment: datetime, zone: str | None = None) -> datetime:
    """``moment`` in ``zone`` (a campaign's time zone, on a page about that campaign), or in UTC on a page
    about no campaign."""
    return moment.astimezone(ZoneInfo(zone) if zone else UTC)


def when(moment: datetime, zone: str | None = None, seconds: bool = False, named: bool = True) -> str:
    """A date and time for the console's records, in the page's language and ``zone`` (else UTC), the zone named
    after it unless the page says it already: "31 jul 2025, 17:05 EDT", "31 de jul. de 2025 21:05 UTC"."""
    local = local_time(moment, zone)
    text = formats.moment(local, current_locale(), seconds=seconds)
    return f"{text} {formats.zone(local)}" if named else text


def date_of(moment: datetime, zone: str | None = None) -> str:
    """The date (with its year) of ``moment`` in ``zone`` (else UTC), in the page's language: "31 jul 2025"."""
    return formats.calendar_date(local_time(moment, zone), current_locale())


def day(when: date | datetime) -> str:
    """A weekday and date in the page's language."""
    return formats.day(when, current_locale())


def number(value: int | float) -> str:
    """A count in the page's language."""
    return formats.number(value, current_locale())


def say_note(note: Note) -> str:
    """A lookup note in the page's language."""
    return note_text(note, current_locale())


def data(value: str) -> str:
    """A title or chamber name from the legislature's data, in the page's language (names stay as they are)."""
    return data_word(value, current_locale())


def target(label: str) -> str:
    """A legislator as a console line names them, the title in the page's language: "Senador estatal Jane Doe"."""
    return target_words(label, current_locale())


def language_name(locale: str) -> str:
    """A language's name in the page's language: "inglés" on a Spanish page, "English" on an English one."""
    return Locale.parse(locale).get_language_name(current_locale()) or locale


def gettext(message: str) -> str:
    """``message`` in the page's language (Python code of the web layer: flashes, notices)."""
    return translations(current_locale()).gettext(message)


def say(text: object) -> str:
    """A sentence from the domain code (a :class:`languages.Message`, a lookup's Note) in the page's language;
    other text (a name, a number) as it is."""
    return say_note(text) if isinstance(text, Note) else translated(text, current_locale())


def say_sentence(text: object) -> str:
    """A lower-case problem ("give the token a name") as a sentence of its own in the page's language: "Give… ."."""
    words = say(text)
    return words[:1].upper() + words[1:] + ("" if words.endswith((".", "!", "?")) else ".")


def duration(seconds: float | None) -> str:
    """A length of time in the page's language ("1 min 5 s"); "—" for none."""
    return formats.duration(seconds, current_locale())
