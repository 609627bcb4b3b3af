"""The call-in line's language menu: "para español, oprima 2; para português, digite 3", each in its own voice."""

from __future__ import annotations

from dataclasses import replace

import pytest

from callflow.callin import respond, welcome
from callflow.vocabulary import FlowState, LanguageChosen, LanguageOffer, Silence, Step
from extensions import db
from tests.support.twiml import find
from tests.test_call_languages import ENGLISH, TRANSLATIONS, english_fragments
from tests.test_callin import LINE_URL, keyed, line, parsed, said
from tests.test_callin_end_to_end import (
    REP_PHONE,
    SENATOR_PHONE,
    SINGLE_ZIP,
    SPLIT_ZIP,
    call_in,
    legislators,
    only_call,
)
from voicesim import DialOutcome
from voicesim.events import Said

OFFERS = (LanguageOffer("2", "es", "es-US", "Polly.Lupe"), LanguageOffer("3", "pt_BR", "pt-BR", "Polly.Camila"))
__all__ = ["legislators"]  # the end-to-end fixture, shared


def offering(**values):
    return replace(line(**values), languages=OFFERS)


def test_after_the_welcome_each_language_is_offered_in_its_own_words_and_voice():
    root = parsed(welcome(offering()))

    assert [child.tag for child in root] == ["Say", "Gather", "Redirect"]
    gather = find(root, "Gather")
    assert gather.get("numDigits") == "1" and gather.get("action") == LINE_URL + "gather"
    offers = [(say.text, say.get("language"), say.get("voice")) for say in gather.iter("Say")]
    assert offers == [
        ("Para español, oprima 2.", "es-US", "Polly.Lupe"),
        ("Para português, digite 3.", "pt-BR", "Polly.Camila"),
    ]
    assert find(root, "Redirect").text == LINE_URL + "silence"
    assert welcome(offering()).state == FlowState(Step.LANGUAGE)


@pytest.mark.parametrize("digits, locale", [("2", "es"), ("3", "pt_BR")])
def test_a_language_key_switches_the_call_and_welcomes_the_caller_again_in_it(digits, locale):
    outcome = respond(FlowState(Step.LANGUAGE), keyed(digits), offering())

    assert outcome.effects == (LanguageChosen(locale),)
    assert outcome.state == FlowState(Step.WELCOME)
    assert find(parsed(outcome), "Redirect").text == LINE_URL + "answered"


@pytest.mark.parametrize("event", [Silence(), keyed("1"), keyed("9"), keyed("#")])
def test_silence_or_any_other_key_goes_on_in_the_campaigns_language_without_an_apology(event):
    outcome = respond(FlowState(Step.LANGUAGE), event, offering())

    assert outcome.effects == () and outcome.state == FlowState(Step.ZIP)
    assert said(parsed(outcome)) == ["Please enter your five-digit ZIP code."]


def test_without_other_languages_nothing_is_offered():
    assert welcome(line()).state == FlowState(Step.ZIP)


def test_calling_in_and_pressing_2_is_a_spanish_call_from_the_welcome_to_goodbye(twilio_app, legislators):
    campaign = legislators[0]
    campaign.translations = TRANSLATIONS
    for name, value in ENGLISH.items():
        setattr(campaign, name, value)
    db.session.commit()

    answered = {SENATOR_PHONE: DialOutcome.answered(20), REP_PHONE: DialOutcome.answered(20)}
    record = call_in(twilio_app, ["2", SINGLE_ZIP, "1", "1"], scenario=answered)

    says = record.of(Said)
    menu = [say for say in says if say.text.startswith(("Para español", "Para português"))]
    assert [(say.language, say.voice) for say in menu] == [("es-US", "Polly.Lupe"), ("pt-BR", "Polly.Camila")]
    after_menu = says[says.index(menu[-1]) + 1 :]
    assert after_menu[0].text.startswith("Hola, llamaste a la línea de Protejamos a las familias.")
    assert {(say.language, say.voice) for say in after_menu} == {("es-US", "Polly.Lupe")}
    spoken = " ".join(say.text for say in after_menu)
    assert [fragment for fragment in english_fragments() if fragment in spoken] == []
    assert TRANSLATIONS["es"]["greeting"] in spoken and "Senador estatal Jane Doe" in spoken
    assert only_call().locale == "es"


@pytest.mark.parametrize(("digit", "title"), [("2", "Representante estatal"), ("3", "Deputado estadual")])
def test_a_split_zip_names_the_candidates_with_their_title_in_the_callers_language(
    twilio_app, legislators, digit, title
):
    """Titles are data words, translated; names never: "Si tu Representante estatal es John Roe, oprime 1." """
    campaign = legislators[0]
    campaign.translations = TRANSLATIONS
    for name, value in ENGLISH.items():
        setattr(campaign, name, value)
    db.session.commit()

    record = call_in(twilio_app, [digit, SPLIT_ZIP, "0", "1", "1", "1"])

    spoken = " ".join(say.text for say in record.of(Said))
    question = spoken[spoken.index("John Roe") - 60 : spoken.index("Jay Livingstone")]
    assert title in question and "State Representative" not in spoken, question
