"""After a whole call, the supporter's number is nowhere in clear: not in any table, log line, access log or page."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

import dialer
from extensions import db
from models import Base, Call, CallStatus, LegStatus
from tests.support.pages import DEMO, load_demo_campaign, seed_geography
from tests.support.settings import TWILIO_TOKEN
from tests.support.twilio_standin import FakeTwilioRest
from voicesim import CallSimulator, DialOutcome, WSGITransport, deliver_webhooks, status_callback_requests

SID = "AC" + "5" * 32
CALLER_ID = "+16175397340"  # the demo campaign's number
# The supporter's number in every spelling a leak could take.
SPELLINGS = (
    "+16175550123",
    "16175550123",
    "6175550123",
    "(617) 555-0123",
    "617-555-0123",
    "617.555.0123",
    "617 555 0123",
    "%2B16175550123",
    "555-0123",
)


def access_log(app, lines: list[str]):
    """Wrap the WSGI app so every request leaves a gunicorn-style access line (request line, referrer, agent)."""
    inner = app.wsgi_app

    def middleware(environ, start_response):
        captured = {}

        def recording_start(status, headers, exc_info=None):
            captured["status"] = status.split()[0]
            return start_response(status, headers, exc_info)

        result = inner(environ, recording_start)
        query = environ.get("QUERY_STRING")
        request_line = (
            f"{environ['REQUEST_METHOD']} {environ.get('PATH_INFO', '')}{'?' + query if query else ''} HTTP/1.1"
        )
        lines.append(
            f'{environ.get("REMOTE_ADDR", "-")} - - [now] "{request_line}" {captured.get("status")} - '
            f'"{environ.get("HTTP_REFERER", "-")}" "{environ.get("HTTP_USER_AGENT", "-")}"'
        )
        logging.getLogger("gunicorn.access").info(lines[-1])
        return result

    app.wsgi_app = middleware


def everything_stored() -> list[str]:
    """Every value of every column of every row of every table, as text."""
    values = []
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(select(table)):
                for value in row:
                    values.append(
                        bytes(value).decode("latin-1")
                        if isinstance(value, (bytes, memoryview)) and not isinstance(value, str)
                        else str(value)
                    )
    return values


def leaks(texts) -> list[str]:
    return [f"{spelling!r} in {text[:200]!r}" for text in texts for spelling in SPELLINGS if spelling in text]


def test_a_whole_call_leaves_the_number_nowhere_in_clear(make_app, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr("pages.routes.dispatch_call", lambda call_id: None)  # the test runs the dialer itself
    with FakeTwilioRest(SID, TWILIO_TOKEN, owned_numbers=[CALLER_ID]) as rest:
        app = make_app(
            TWILIO_ACCOUNT_SID=SID,
            TWILIO_AUTH_TOKEN=TWILIO_TOKEN,
            TWILIO_CALLER_ID=CALLER_ID,
            TWILIO_API_BASE_URL=rest.base_url,
            TWILIO_TIMEOUT=0.5,
        )
        lines: list[str] = []
        bodies: list[str] = []
        access_log(app, lines)
        with app.app_context():
            load_demo_campaign(app.test_cli_runner())
            targets = seed_geography()
            client = app.test_client()
            bodies.append(client.get(f"/c/{DEMO}").get_data(as_text=True))
            sent = client.post(
                f"/c/{DEMO}",
                data={"phone": "(617) 555-0123", "location": "01003", "name": "Ana", "town": "Springfield"},
                headers={"User-Agent": "Mozilla/5.0 test"},
            )
            assert sent.status_code == 303
            call_page = sent.headers["Location"]
            bodies.append(client.get(call_page).get_data(as_text=True))
            assert "+1 617 ••• ••23" in bodies[-1]  # the masked number is all the page shows

            # Twilio is slow: the create times out after Twilio made the call; the retry asks Twilio and adopts it.
            rest.delay_next(1, seconds=2.0)
            assert dialer.run_due(app) == 1
            call = db.session.scalars(select(Call)).one()
            assert call.next_attempt_at is not None
            assert dialer.run_due(app, now=call.next_attempt_at + timedelta(seconds=1)) == 1
            assert len(rest.created()) == 1
            created = rest.created()[0]
            assert created.params["To"] == "+16175550123"  # Twilio, and only Twilio, is given the number

            ada_phone, cy_phone = targets["ada"].phone, targets["cy"].phone
            assert ada_phone is not None and cy_phone is not None
            scenario = {ada_phone: DialOutcome.answered(40), cy_phone: DialOutcome.answered(20)}
            sim = CallSimulator(WSGITransport(app), TWILIO_TOKEN, dial_scenario=scenario)
            # Go on, talk, report "spoke", go on, talk, report "spoke" (the demo campaign asks).
            record = sim.run(
                created.params["Url"],
                ["1", "1", "1", "1"],
                on_exhausted="silence",
                to=created.params["To"],
                from_=CALLER_ID,
                account_sid=SID,
                call_sid=created.sid,
            )
            results = deliver_webhooks(
                WSGITransport(app),
                TWILIO_TOKEN,
                status_callback_requests(
                    call_params=record.state.call_params,
                    url=created.params["StatusCallback"],
                    events=created.all("StatusCallbackEvent"),
                    duration=int(record.state.elapsed),
                ),
            )
            assert all(result.status == 200 for _, result in results)
            bodies.append(client.get(call_page).get_data(as_text=True))
            bodies.append(client.get(call_page + "/status").get_data(as_text=True))

            db.session.expire_all()
            call = db.session.scalars(select(Call)).one()
            assert call.status == CallStatus.completed and call.phone_encrypted is None
            assert [leg.status for leg in call.legs] == [LegStatus.completed, LegStatus.completed]
            assert len(lines) >= 12  # form, pages, every webhook
            stored = everything_stored()

    assert leaks(stored) == []
    assert leaks(r.getMessage() for r in caplog.records) == []
    assert leaks([caplog.text]) == []
    assert leaks(lines) == []
    assert leaks(bodies) == []
    assert any(r.name == "dialer.placing" for r in caplog.records)  # logging really was captured


@pytest.mark.parametrize("logger", ["twilio.http_client", "urllib3.connectionpool"])
def test_libraries_that_log_request_urls_are_kept_above_debug(app, logger):
    # A Calls list URL (?To=+1617…) carries the number; these loggers print URLs at INFO and DEBUG.
    assert logging.getLogger(logger).getEffectiveLevel() >= logging.WARNING
