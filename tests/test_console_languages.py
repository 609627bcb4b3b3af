"""The organiser's console in Spanish and Brazilian Portuguese: its layout, campaign list, form and results."""

from __future__ import annotations

import pytest

from languages import gettext
from models import Role
from tests.support.console import signed_in_client
from tests.support.factories import make_campaign
from tests.support.pages import page

# Sentences each console page says in English; none may be left in English on a translated page.
LAYOUT = ("Organiser's console", "Sign out", "Office numbers", "Results here are counts only")
PAGES = {
    "/console/": ("New campaign", "Import a campaign file (YAML)", "Every campaign, newest first", "Calls today"),
}
LOCALES = {"es": "es", "pt_BR": "pt-BR"}


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("url", PAGES)
def test_each_console_page_speaks_the_chosen_language(app, locale, url):
    make_campaign(slug="families", title="Families")
    client = signed_in_client(app, Role.admin)
    english = client.get(url).get_data(as_text=True)
    for sentence in LAYOUT + PAGES[url]:
        assert sentence.replace("'", "&#39;") in english or sentence in english  # the English page says it

    response = client.get(f"{url}?lang={locale}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    html = page(response)
    assert html.element("html")["lang"] == LOCALES[locale]
    assert html.element("a", hreflang=LOCALES[locale])["aria-current"] == "true"  # the switch is in the layout
    for sentence in LAYOUT + PAGES[url]:
        assert sentence not in text, f"{sentence!r} left in English on {url} in {locale}"
    assert gettext(locale, "Sign out") in text
    # The choice is kept: the next console page, without ?lang=, follows it.
    assert page(client.get(url)).element("html")["lang"] == LOCALES[locale]
