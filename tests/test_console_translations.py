"""Campaign translations in the console's form and in campaign files: optional, text by text, missing ones listed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from campaigns.files import CampaignFileError, campaign_yaml, parse_campaign_yaml
from campaigns.translations import call_locale, missing_by_locale
from extensions import db
from models import Campaign, Role
from tests.support.console import signed_in_client
from tests.test_console_campaigns import GOOD


def _campaign() -> Campaign:
    db.session.expire_all()
    return db.session.scalars(select(Campaign).where(Campaign.slug == GOOD["slug"])).one()


def test_the_form_stores_translations_and_lists_what_each_language_lacks(app):
    client = signed_in_client(app, Role.organiser)
    data = {**GOOD, "tr_es_headline": "Llama por las bibliotecas", "tr_es_greeting": "Gracias por llamar."}
    assert client.post("/console/campaigns/new", data=data).status_code == 303

    campaign = _campaign()
    assert campaign.translations == {"es": {"headline": "Llama por las bibliotecas", "greeting": "Gracias por llamar."}}
    assert missing_by_locale(campaign) == {
        "es": ["title", "talking_points"],
        "pt_BR": ["title", "headline", "greeting", "talking_points"],
    }
    html = client.get(f"/console/campaigns/{campaign.slug}/edit").get_data(as_text=True)
    assert 'data-missing="es">2 missing (Title, Spoken talking points)' in html
    assert 'data-missing="pt_BR">4 missing (Title, Headline, Spoken greeting, Spoken talking points)' in html
    assert 'name="tr_es_headline"' in html and "Llama por las bibliotecas</textarea>" in html
    # Half the spoken texts: a Spanish call would switch language halfway, so it stays in English.
    assert call_locale(campaign, "es") == "en"


def test_a_form_without_the_translation_fields_keeps_the_campaigns_translations(app):
    client = signed_in_client(app, Role.organiser)
    client.post("/console/campaigns/new", data={**GOOD, "tr_pt_BR_headline": "Ligue pelas bibliotecas"})

    response = client.post(f"/console/campaigns/{GOOD['slug']}/edit", data={**GOOD, "headline": "New headline"})

    assert response.status_code == 303
    assert _campaign().headline == "New headline"
    assert _campaign().translations == {"pt_BR": {"headline": "Ligue pelas bibliotecas"}}


def test_a_campaign_file_keeps_its_translations_when_written_back():
    text = "\n".join(
        [
            "slug: libraries",
            "title: Fund the libraries",
            "state: MA",
            "headline: Call about the libraries",
            "greeting: Hi.",
            "talking_points: Ask.",
            "target_chambers: [upper]",
            "translations:",
            "  es: {headline: Llama por las bibliotecas}",
            "  pt-BR: {greeting: Oi.}",
        ]
    )
    spec = parse_campaign_yaml(text, Path("libraries.yml"))
    assert spec.values["translations"] == {
        "es": {"headline": "Llama por las bibliotecas"},
        "pt_BR": {"greeting": "Oi."},
    }
    campaign = Campaign(**{**spec.values, "slug": spec.slug})
    campaign.fixed_targets = []
    again = parse_campaign_yaml(campaign_yaml(campaign), Path("again.yml"))
    assert again.values["translations"] == spec.values["translations"]


@pytest.mark.parametrize(
    "translations, words",
    [
        ("  fr: {headline: Appelez}", "'fr' is not one of the languages"),
        ("  en: {headline: Call}", "'en' is not one of the languages"),
        ("  es: {slogan: Llama}", r"translations.es: unknown field\(s\): slogan"),
        ("  es: Llama", "translations.es must map text fields"),
        (f"  es: {{headline: {'x' * 301}}}", "translations.es.headline is longer than 300 characters"),
    ],
)
def test_a_wrong_translation_names_the_language_and_the_field_and_nothing_is_stored(translations, words):
    text = "slug: x\ntitle: X\nstate: MA\nheadline: H\ngreeting: G\ntalking_points: T\ntarget_chambers: [upper]\n"
    with pytest.raises(CampaignFileError, match=words):
        parse_campaign_yaml(text + "translations:\n" + translations, Path("x.yml"))
