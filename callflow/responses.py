"""Whole TwiML answers outside the flow: the apology Twilio hears instead of an error page, the
campaign line's answer, and the HTTP response that carries TwiML. Imports nothing of the app but
the prompts, so the app's error handlers can use it too."""

from __future__ import annotations

from flask import Response
from twilio.twiml.voice_response import VoiceResponse

from callflow.prompts import message

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response />'


def twiml(body: str) -> Response:
    """A TwiML answer."""
    return Response(body, status=200, mimetype="text/xml")


def apology(reason: str = "apology") -> str:
    """TwiML that says the prompt `reason` (an apology) and hangs up: what Twilio hears instead of an error page."""
    response = VoiceResponse()
    response.say(message(reason))
    response.hangup()
    return str(response)


def line_closed(campaign_title: str | None, *, refused: bool = False) -> str:
    """TwiML for a call to a campaign's number that the line cannot take: no campaign, a paused or ended one, or a
    caller the blocklist or the limits refuse (told no more than that); then hang up."""
    response = VoiceResponse()
    if refused:
        response.say(message("callin_refused"))
    elif campaign_title:
        response.say(message("callin_closed", title=campaign_title))
    else:
        response.say(message("inbound_no_campaign"))
    response.hangup()
    return str(response)
