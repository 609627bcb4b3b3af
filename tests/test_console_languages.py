"""The organiser's console in Spanish and Brazilian Portuguese: its layout, campaign list, form and results."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from languages import formats, gettext
from models import Role, utcnow
from tests.support.console import signed_in_client
from tests.support.factories import make_campaign
from tests.support.pages import page

# Sentences each console page says in English; none may be left in English on a translated page.
LAYOUT = ("Organiser's console", "Sign out", "Office numbers", "Results here are counts only")
PAGES = {
    "/console/": ("New campaign", "Import a campaign file (YAML)", "Every campaign, newest first", "Calls today"),
    "/console/campaigns/families/edit": (
        "Whom supporters call, in order",
        "Senate first, then House",
        "Eastern (New York)",
        "The first thing the voice says when the supporter answers.",
        "Preview before going live",
        "Duplicate this campaign",
    ),
    "/console/campaigns/families": (
        "Calls over time",
        "From request to conversation",
        "Answered by the supporter",
        "Heard the talking points",
        "Download the calls (CSV)",
        "Preview calls are not counted",
    ),
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


@pytest.mark.parametrize("locale", LOCALES)
def test_the_results_charts_label_days_as_the_language_writes_them(app, locale):
    campaign = make_campaign(slug="families", title="Families", timezone="America/New_York")
    client = signed_in_client(app, Role.viewer)
    today = utcnow().astimezone(ZoneInfo(campaign.timezone)).date()
    english = client.get("/console/campaigns/families").get_data(as_text=True)
    assert f"<td>{today.strftime('%b %d')}</td>" in english  # the daily chart's table, as before
    text = client.get(f"/console/campaigns/families?lang={locale}").get_data(as_text=True)
    assert f"<td>{formats.month_day(today, locale)}</td>" in text
    assert f"<td>{today.strftime('%b %d')}</td>" not in text
    # The refresh (results.json) follows the same choice, kept in the cookie.
    refreshed = client.get("/console/campaigns/families/results.json").get_json()["html"]
    assert gettext(locale, "Calls over time") in refreshed and "Calls over time" not in refreshed
