"""A throwaway Flask app serving hand-written TwiML, and the call the voicesim tests place against it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, request
from twilio.request_validator import RequestValidator

from voicesim import CallerInput, CallRecord, CallSimulator, DialScenario, Limits, WSGITransport
from voicesim.state import DEFAULT_LIMITS

TOKEN = "test-auth-token-0123"
ACCOUNT = "AC" + "a" * 32
PUBLIC = "https://calls.example.org"
SUPPORTER = "+14155550100"
OUR_NUMBER = "+15005550006"
REP = "+12025550111"
SEN = "+12025550122"
SID_RE = re.compile(r"^CA[0-9a-f]{32}$")

OUTBOUND_KEYS = {
    "AccountSid", "ApiVersion", "CallSid", "CallStatus", "Direction", "From", "To", "Caller", "Called",
    "FromCity", "FromState", "FromZip", "FromCountry", "ToCity", "ToState", "ToZip", "ToCountry",
    "CallerCity", "CallerState", "CallerZip", "CallerCountry",
    "CalledCity", "CalledState", "CalledZip", "CalledCountry",
}  # fmt: skip


@dataclass
class Hit:
    """One webhook request as our throwaway app saw it."""

    path: str
    method: str
    url: str
    form: dict[str, str]
    args: dict[str, str]
    signature_ok: bool
    cookie: str | None


Page = str | Callable[[], Response]


class TwimlApp:
    """A throwaway Flask app serving hand-written TwiML per path and recording hits."""

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.hits: list[Hit] = []
        self.app = Flask("twiml_test_app")
        validator = RequestValidator(TOKEN)

        @self.app.route("/<path:path>", methods=["GET", "POST"])
        def serve(path: str) -> Response:
            signature = request.headers.get("X-Twilio-Signature", "")
            params = request.form if request.method == "POST" else {}
            self.hits.append(
                Hit(
                    path="/" + path,
                    method=request.method,
                    url=request.url,
                    form=request.form.to_dict(),
                    args=request.args.to_dict(),
                    signature_ok=validator.validate(request.url, params, signature),
                    cookie=request.headers.get("Cookie"),
                )
            )
            page = self.pages["/" + path]
            if callable(page):
                return page()
            return Response(page, mimetype="text/xml")

    def hits_for(self, path: str) -> list[Hit]:
        """Hits on one path."""
        return [h for h in self.hits if h.path == path]


def simulator(
    app: TwimlApp, *, dial_scenario: DialScenario | None = None, limits: Limits = DEFAULT_LIMITS, strict: bool = True
) -> CallSimulator:
    """A simulator that reaches ``app`` in-process and signs with TOKEN."""
    return CallSimulator(WSGITransport(app.app), TOKEN, dial_scenario=dial_scenario, limits=limits, strict=strict)


def run(
    app: TwimlApp,
    inputs: Iterable[CallerInput] | None = None,
    path: str = "/voice",
    *,
    dial_scenario: DialScenario | None = None,
    limits: Limits = DEFAULT_LIMITS,
    strict: bool = True,
    **start_kwargs: Any,
) -> CallRecord:
    """Run a whole call to ``PUBLIC + path`` from OUR_NUMBER to SUPPORTER, feeding ``inputs``."""
    return simulator(app, dial_scenario=dial_scenario, limits=limits, strict=strict).run(
        PUBLIC + path, inputs or [], to=SUPPORTER, from_=OUR_NUMBER, account_sid=ACCOUNT, **start_kwargs
    )


def twiml(body: str) -> str:
    """A TwiML document with ``body`` inside <Response>."""
    return f'<?xml version="1.0" encoding="UTF-8"?><Response>{body}</Response>'


# One office dialed with an action URL: used by the Dial tests and the transcript round trip.
DIAL = twiml(
    '<Say>Connecting</Say><Dial action="/dialed" callerId="+15005550006" timeout="20">'
    f'<Number sendDigits="wwww1">{REP}</Number></Dial><Say>unreached</Say>'
)
