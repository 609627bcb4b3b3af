"""Whole calls in Spanish and Brazilian Portuguese: every <Say> in the call's language and voice, no English."""

from __future__ import annotations

import re

import pytest

from callflow.plans import flow_campaign
from callflow.prompts import PROMPTS
from extensions import db
from languages.voices import Voice, parse_voices
from models import Call
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.test_call_end_to_end import REP_PHONE, SENATOR_PHONE, place, play
from voicesim import DialOutcome
from voicesim.events import Said

ENGLISH = {
    "greeting": "Thanks for calling about families.",
    "talking_points": "Ask them to pass the protections.",
    "goodbye": "Thank you. Goodbye.",
}
TRANSLATIONS = {
    "es": {
        "title": "Protejamos a las familias",
        "greeting": "Gracias por llamar por las familias.",
        "talking_points": "Pídeles que aprueben las protecciones.",
        "goodbye": "Gracias. Adiós.",
    },
    "pt_BR": {
        "title": "Proteja as famílias",
        "greeting": "Obrigado por ligar pelas famílias.",
        "talking_points": "Peça que aprovem as proteções.",
        "goodbye": "Obrigado. Tchau.",
    },
}
VOICES = {"es": ("es-US", "Polly.Lupe"), "pt_BR": ("pt-BR", "Polly.Camila"), "en": ("en-US", "Polly.Joanna")}


def english_fragments() -> set[str]:
    """Every stretch of an English prompt between its blanks that is long enough to be words, not a name."""
    pieces = {piece.strip() for text in PROMPTS.values() for piece in re.split(r"\{\w+\}", text)}
    return {piece for piece in pieces if len(piece) >= 12} | set(ENGLISH.values())


@pytest.fixture
def legislators(twilio_app):
    campaign = make_campaign(ask_feedback=True, translations=TRANSLATIONS, **ENGLISH)
    senator = make_target("Jane Doe", "State Senator", SENATOR_PHONE, make_district("upper", "First Middlesex"))
    rep = make_target("John Roe", "State Representative", REP_PHONE, make_district("lower", "2nd Suffolk"))
    return campaign, senator, rep


@pytest.mark.parametrize("locale", ["es", "pt_BR"])
def test_a_whole_call_speaks_the_supporters_language_in_its_voice_with_no_english(
    twilio_app, rest, legislators, locale
):
    campaign, senator, rep = legislators
    call = make_call(twilio_app, campaign, [senator, rep], locale=locale)
    created = place(twilio_app, rest)
    # Silence once, a wrong key, feedback after the senator, a busy representative: most of the prompts.
    record = play(
        twilio_app,
        created,
        [None, "7", "1", "1", "1"],
        {SENATOR_PHONE: DialOutcome.answered(30), REP_PHONE: DialOutcome.busy()},
    )

    says = record.of(Said)
    assert len(says) > 10 and record.end_reason == "hangup"
    assert {(say.language, say.voice) for say in says} == {VOICES[locale]}
    spoken = " ".join(record.said)
    leaked = sorted(fragment for fragment in english_fragments() if fragment in spoken)
    assert leaked == []
    texts = TRANSLATIONS[locale]
    assert texts["greeting"] in spoken and texts["talking_points"] in spoken and texts["goodbye"] in spoken
    # Names are never translated; titles are.
    title = {"es": "Senador estatal Jane Doe", "pt_BR": "Senador estadual Jane Doe"}[locale]
    assert title in spoken and "John Roe" in spoken
    assert db.session.get_one(Call, call.id).locale == locale


def test_an_english_call_carries_the_english_voice(twilio_app, rest, legislators):
    campaign, senator, _rep = legislators
    make_call(twilio_app, campaign, [senator])
    record = play(twilio_app, place(twilio_app, rest), ["1", "1"], {SENATOR_PHONE: DialOutcome.answered(30)})

    assert {(say.language, say.voice) for say in record.of(Said)} == {VOICES["en"]}
    assert ENGLISH["greeting"] in " ".join(record.said)


def test_a_campaigns_own_voice_speaks_its_own_language_and_the_setting_speaks_the_others(make_app, rest):
    app = make_app(
        TWILIO_ACCOUNT_SID="AC" + "0" * 32,
        TWILIO_AUTH_TOKEN="token",
        SAY_VOICES={"es": Voice("es-MX", "Polly.Mia")},
    )
    with app.app_context():
        campaign = make_campaign(voice="Polly.Matthew", translations=TRANSLATIONS, **ENGLISH)
        english = make_call(app, campaign, [], locale="en")
        spanish = make_call(app, campaign, [], locale="es")
        voices = app.config["SAY_VOICES"]
        assert (flow_campaign(english, voices).language, flow_campaign(english, voices).voice) == (
            "en-US",
            "Polly.Matthew",
        )
        assert (flow_campaign(spanish, voices).language, flow_campaign(spanish, voices).voice) == ("es-MX", "Polly.Mia")
        assert flow_campaign(spanish, voices).greeting == TRANSLATIONS["es"]["greeting"]


def test_say_voices_override_a_languages_voice_and_refuse_what_they_cannot_read():
    assert parse_voices("es=es-MX:Polly.Mia")["es"] == Voice("es-MX", "Polly.Mia")
    assert parse_voices("")["pt_BR"] == Voice("pt-BR", "Polly.Camila")
    for wrong in ("es=Polly.Mia", "fr=fr-FR:Polly.Lea", "es-MX=es-MX:Polly.Mia", "es=es-mx:Polly.Mia"):
        with pytest.raises(ValueError, match="is not locale=language:voice"):
            parse_voices(wrong)
