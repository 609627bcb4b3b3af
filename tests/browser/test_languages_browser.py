"""The page and the call in Spanish and Brazilian Portuguese, in Chromium: the switch, a whole preview call, axe."""

from __future__ import annotations

import re

import pytest

from callflow.prompts import PROMPTS
from tests.support.axe import axe_violations
from tests.support.browser import press_in_preview

pytestmark = pytest.mark.browser

PHONE = "(617) 555-0123"
# Every stretch of an English prompt between its blanks long enough to be words: none may reach a Spanish call.
ENGLISH_PROMPTS = {
    piece.strip() for text in PROMPTS.values() for piece in re.split(r"\{\w+\}", text) if len(piece.strip()) >= 12
}
# The page's own English words, which a Spanish page must not show.
ENGLISH_PAGE = ("Your call", "Call now", "What to say", "Your legislators", "Thank you", "Preview", "State Senator")


def submit(page) -> None:
    with page.expect_navigation():
        page.click("[data-submit]")


def test_switching_to_spanish_then_a_preview_call_is_in_spanish_throughout(server, open_page, artifacts):
    page = open_page(1280, 900)
    page.goto(server["url"] + "/")
    assert page.get_attribute("html", "lang") == "en"

    with page.expect_navigation():
        page.click("[data-language-switch] a:text-is('Español')")
    assert page.get_attribute("html", "lang") == "es"
    assert page.get_attribute("[data-language-switch] a[aria-current]", "hreflang") == "es"
    assert page.inner_text("h1") == "Llama hoy a tus legisladores estatales para proteger a las familias inmigrantes"
    page.fill("#phone", PHONE)
    page.fill("#location", "01003")
    submit(page)  # the cookie keeps the choice: the form's own address has no ?lang=

    page.screenshot(path=str(artifacts / "languages-call-es.png"), full_page=True)
    assert page.get_attribute("html", "lang") == "es"
    assert page.inner_text("h1") == "Tu llamada está lista para la vista previa"
    main = page.inner_text("main")
    assert "Senador estatal Jo Comerford" in main and "Representante estatal Mindy Domb" in main
    assert [words for words in ENGLISH_PAGE if words in main] == []

    other = page.context.new_page()
    other.goto(page.url + "/preview")
    assert other.get_attribute("html", "lang") == "es"
    with other.expect_navigation():
        other.click("text=Empezar la vista previa")
    for control in ["1", "Contestan y hablas", "1", "1", "La línea está ocupada", "La línea está ocupada"]:
        press_in_preview(other, control)
    while other.is_visible("text=No decir nada"):
        press_in_preview(other, "No decir nada")
    said = other.locator(".transcript li.said")
    assert said.count() > 5
    assert set(said.evaluate_all("items => items.map(item => item.lang)")) == {"es-US"}
    transcript = other.inner_text(".transcript")
    assert "Hola, esta es la llamada que pediste" in transcript
    assert [words for words in ENGLISH_PROMPTS if words in transcript] == []

    page.wait_for_selector("#call-status[data-view='done']", timeout=10000)
    page.screenshot(path=str(artifacts / "languages-done-es.png"), full_page=True)
    assert page.inner_text("h1") == "Tu llamada terminó"
    assert page.inner_text("#call-lede").startswith("Te comunicaste con Senador estatal Jo Comerford.")
    main = page.inner_text("main")
    assert "Gracias por llamar" in main and "¡Gracias por llamar a tus legisladores!" in main
    assert [words for words in ENGLISH_PAGE if words in main] == []


@pytest.mark.parametrize("locale, tag", [("es", "es"), ("pt_BR", "pt-BR")])
def test_axe_finds_no_violations_in_each_language(server, open_page, locale, tag):
    page = open_page(390, 844)
    seen: dict[str, list[str]] = {}

    page.goto(f"{server['url']}/?lang={locale}")
    assert page.get_attribute("html", "lang") == tag
    seen["campaign"] = axe_violations(page)
    page.fill("#phone", "1-900-555-1212")
    page.fill("#location", "02215")
    submit(page)
    seen["errors and picker"] = axe_violations(page)
    page.goto(f"{server['url']}/")
    page.fill("#phone", PHONE)
    page.fill("#location", "01003")
    submit(page)
    assert page.get_attribute("html", "lang") == tag
    seen["call page"] = axe_violations(page)
    page.goto(page.url + "/preview")
    with page.expect_navigation():
        page.click("form button.primary")
    seen["preview"] = axe_violations(page)
    page.goto(f"{server['url']}/privacy")
    seen["privacy"] = axe_violations(page)

    assert {state: found for state, found in seen.items() if found} == {}
