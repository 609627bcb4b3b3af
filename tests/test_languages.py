"""Which language a page speaks: `?lang=`, then the cookie that keeps the choice, then Accept-Language."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from extensions import db
from languages import LOCALES, normalize
from languages.formats import clock, day, number
from tests.support.pages import DEMO, GOOD_PHONE, load_demo_campaign, only_call, page, seed_geography

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


# --- The campaign's own texts, and the call, in the reader's language -------------------------------------


def post(client, lang=None, **fields):
    data = {"phone": GOOD_PHONE, "location": "01003", "name": "", "town": ""} | fields
    return client.post(FORM_URL + (f"?lang={lang}" if lang else ""), data=data)


def test_the_demo_campaign_reads_in_spanish_with_spanish_dates_and_no_fallback_notice(client, campaign):
    html = page(client.get(f"{FORM_URL}?lang=es"))
    text = html.visible_text()

    assert html.element("html")["lang"] == "es"
    assert "Llama hoy a tus legisladores estatales para proteger a las familias inmigrantes" in text
    assert "Fecha límite: medianoche al final del martes, 31 de julio (EDT)" in text
    assert "Llamar ahora" in text and "Call now" not in text
    assert html.element("p", class_="countdown")["data-left-text"] == "Quedan {time} para llamar."
    assert "data-fallback-notice" not in html.html
    # Shared from a Spanish page, the link opens the Spanish page.
    assert (html.element("meta", property="og:url")["content"] or "").endswith(f"{FORM_URL}?lang=es")


def test_the_demo_campaign_reads_in_brazilian_portuguese(client, campaign):
    seed_geography()
    text = page(client.get(FORM_URL, headers={"Accept-Language": "pt-BR,pt;q=0.9"})).visible_text()

    assert "Ligue hoje para seus legisladores estaduais para proteger as famílias imigrantes" in text
    assert "Prazo: meia-noite do fim de terça-feira, 31 de julho (EDT)" in text
    assert "seu senador estadual e seu deputado estadual" in text


def test_a_campaign_without_a_translation_says_so_in_the_readers_language(client, campaign):
    campaign.translations = {"pt_BR": campaign.translations["pt_BR"]}
    db.session.commit()

    html = page(client.get(f"{FORM_URL}?lang=es"))

    assert html.element("p", class_="fallback-notice").get("role") == "note"
    assert "Esta campaña todavía no está escrita en español, así que sus textos aparecen en inglés." in (
        html.visible_text()
    )
    assert "Call your state legislators today to protect immigrant families" in html.visible_text()
    assert "Llamar ahora" in html.visible_text()  # the service's own words are still in Spanish


def test_a_partly_translated_campaign_shows_each_missing_text_in_its_own_language(client, campaign):
    campaign.translations = {"es": {"headline": "Llama hoy a tus legisladores"}}
    db.session.commit()

    text = page(client.get(f"{FORM_URL}?lang=es")).visible_text()

    assert "Partes de esta campaña todavía no están escritas en tu idioma, así que las mostramos en inglés." in text
    assert "Llama hoy a tus legisladores" in text
    assert "In May the state Senate put four basic protections" in text


def test_form_errors_are_in_the_page_language(client, campaign):
    response = post(client, lang="pt_BR", phone="")

    assert response.status_code == 422
    assert "Digite o seu número de telefone para podermos ligar para você, por favor." in page(response).visible_text()


def test_a_call_asked_for_in_spanish_is_a_spanish_call_and_its_page_is_spanish(client, campaign):
    seed_geography()
    response = post(client, lang="es")
    assert response.status_code == 303
    call = only_call()
    assert call.locale == "es"

    html = page(client.get(response.headers["Location"]))
    assert html.element("html")["lang"] == "es"
    text = html.visible_text()
    assert "Qué decir" in text and "Hola, me llamo [tu nombre] y vivo en" in text
    assert "Senador estatal Ada Adams" in text  # the title translated, the name as it is
    assert "Demócrata" in text and "Democratic" not in text  # the party too: a data word
    assert "data-call-language" not in html.html


def test_a_call_whose_campaign_has_no_spanish_call_is_in_english_and_the_page_says_so(client, campaign):
    campaign.translations = {"es": {"headline": "Llama hoy a tus legisladores"}}
    db.session.commit()
    seed_geography()
    response = post(client, lang="es")

    assert only_call().locale == "en"
    html = page(client.get(response.headers["Location"]))
    assert "Tu llamada será en inglés: la llamada de esta campaña todavía no está escrita en tu idioma." in (
        html.visible_text()
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_the_privacy_page_and_the_missing_page_are_in_every_language(client, campaign, locale):
    privacy = page(client.get(f"/privacy?lang={locale}"))
    missing = client.get(f"/no-such-page?lang={locale}")

    assert privacy.element("html")["lang"] == locale.replace("_", "-")
    heading = {"en": "How we handle your information", "es": "Cómo tratamos tus datos", "pt_BR": "Como cuidamos"}
    assert privacy.visible_text().count(heading[locale]) >= 1
    assert missing.status_code == 404 and page(missing).element("html")["lang"] == locale.replace("_", "-")
