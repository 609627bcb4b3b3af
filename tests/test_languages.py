"""Which language a page speaks: `?lang=`, then the cookie that keeps the choice, then Accept-Language."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from languages import LOCALES, normalize
from languages.formats import clock, day, number
from tests.support.pages import DEMO, load_demo_campaign, page

FORM_URL = f"/c/{DEMO}"


@pytest.fixture
def campaign(app, runner):
    """The demo campaign, live until 2029."""
    return load_demo_campaign(runner)


@pytest.mark.parametrize(
    "tag, locale",
    [
        ("es", "es"),
        ("es-MX", "es"),
        ("ES_us", "es"),
        ("pt", "pt_BR"),
        ("pt-PT", "pt_BR"),
        ("pt_BR", "pt_BR"),
        ("en-GB", "en"),
        ("fr", None),
        ("", None),
        (None, None),
    ],
)
def test_language_tags_map_to_the_locales_we_have(tag, locale):
    assert normalize(tag) == locale


def test_a_browser_that_prefers_spanish_gets_the_page_in_spanish(client, campaign):
    html = page(client.get(FORM_URL, headers={"Accept-Language": "fr;q=1, es-MX;q=0.9, en;q=0.5"}))

    assert html.element("html")["lang"] == "es"
    assert html.element("a", hreflang="es")["aria-current"] == "true"


def test_a_browser_asking_for_portuguese_gets_brazilian_portuguese(client, campaign):
    html = page(client.get(FORM_URL, headers={"Accept-Language": "pt-PT, pt;q=0.9"}))

    assert html.element("html")["lang"] == "pt-BR"


def test_a_browser_asking_for_a_language_we_lack_gets_english(client, campaign):
    response = client.get(FORM_URL, headers={"Accept-Language": "de-DE, fr;q=0.8"})

    assert page(response).element("html")["lang"] == "en"
    assert "Accept-Language" in response.headers["Vary"]


def test_the_switch_links_this_page_in_each_language_and_the_choice_is_kept(client, campaign):
    html = page(client.get(FORM_URL))
    links = {a["hreflang"]: a["href"] for a in html.all("a") if a.get("hreflang")}
    assert links == {"en": f"{FORM_URL}?lang=en", "es": f"{FORM_URL}?lang=es", "pt-BR": f"{FORM_URL}?lang=pt_BR"}
    assert html.element("a", hreflang="pt-BR").get("lang") == "pt-BR"

    chosen = client.get(links["pt-BR"], headers={"Accept-Language": "es"})
    assert page(chosen).element("html")["lang"] == "pt-BR"
    cookie = chosen.headers["Set-Cookie"]
    assert cookie.startswith("lang=pt_BR;") and "HttpOnly" in cookie and "SameSite=Lax" in cookie

    # The next page, without ?lang=, follows the cookie over the browser's own preference.
    later = client.get("/privacy", headers={"Accept-Language": "es"})
    assert page(later).element("html")["lang"] == "pt-BR"
    assert "lang=" not in later.headers.get("Set-Cookie", "")


def test_an_unknown_lang_parameter_changes_nothing(client, campaign):
    response = client.get(f"{FORM_URL}?lang=xx", headers={"Accept-Language": "es"})

    assert page(response).element("html")["lang"] == "es"
    assert "lang=" not in response.headers.get("Set-Cookie", "")


def test_the_switch_keeps_the_other_query_parameters(client, campaign):
    html = page(client.get(f"{FORM_URL}?lang=es&ref=flyer"))

    assert html.element("a", hreflang="en")["href"] == f"{FORM_URL}?ref=flyer&lang=en"


@pytest.mark.parametrize(
    "locale, time_text, day_text, count",
    [
        ("en", "5:00 PM", "Tuesday, July 31", "12,345"),
        ("es", "17:00", "martes, 31 de julio", "12.345"),
        ("pt_BR", "17:00", "terça-feira, 31 de julho", "12.345"),
    ],
)
def test_times_dates_and_numbers_are_written_the_way_each_language_writes_them(locale, time_text, day_text, count):
    moment = datetime(2029, 7, 31, 17, 0, tzinfo=ZoneInfo("America/New_York"))

    assert clock(moment, locale) == time_text
    assert day(date(2029, 7, 31), locale) == day_text
    assert number(12345, locale) == count


def test_every_locale_has_a_catalog():
    for locale in LOCALES[1:]:
        assert normalize(locale) == locale
