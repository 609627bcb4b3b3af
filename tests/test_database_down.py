"""The database stops mid-way: Twilio still gets TwiML, people a kind 503, and nothing half-written survives."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import event

from app import create_app
from extensions import db
from models import Call, LegStatus
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.pg_cluster import ThrowawayPostgres
from tests.support.settings import TEST_CONFIG, TWILIO_TOKEN
from tests.support.signing import signed_post
from tests.support.twiml import find_text
from voicesim import parse_twiml

SID = "CA" + "7" * 32


@pytest.fixture
def cluster():
    pg = ThrowawayPostgres()
    pg.start()
    yield pg
    pg.remove()


def stored(call_id: int) -> tuple[str, list[LegStatus]]:
    db.session.rollback()
    db.session.expire_all()
    call = db.session.get_one(Call, call_id)
    return call.step, [leg.status for leg in call.legs]


@pytest.mark.postgres
@pytest.mark.slow
def test_a_database_that_dies_mid_webhook_leaves_nothing_half_written_and_twilio_hears_an_apology(cluster):
    app = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": cluster.url,
            "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
            "TWILIO_ACCOUNT_SID": "AC" + "7" * 32,
        }
    )
    with app.app_context():
        db.create_all()
        campaign = make_campaign(slug="families")
        call = make_call(
            app,
            campaign,
            [
                make_target("Jane Doe", "State Senator", "+16177220001", make_district("upper")),
                make_target("John Roe", "State Representative", "+16177220002", make_district("lower")),
            ],
        )
        call_id, public_id = call.id, call.public_id
        client = app.test_client()
        voice = f"/twilio/calls/{public_id}"
        assert signed_post(client, f"{voice}/answered", {"CallSid": SID, "AnsweredBy": "human"}).status_code == 200
        assert stored(call_id) == ("script", [LegStatus.planned, LegStatus.planned])

        # Pressing 1 moves the call to dialing and marks the first leg (one statement on PostgreSQL:
        # the call's UPDATE with the legs' in a CTE). The server dies after it, before the commit.
        def die_after_first_update(conn, cursor, statement, *args):
            if statement.lstrip().upper().startswith(("UPDATE", "WITH")):
                event.remove(db.engine, "after_cursor_execute", die_after_first_update)
                cluster.stop()

        event.listen(db.engine, "after_cursor_execute", die_after_first_update)
        answer = signed_post(client, f"{voice}/gather", {"CallSid": SID, "Digits": "1"})
        assert answer.status_code == 200
        root = parse_twiml(answer.data, strict=True)
        assert (
            find_text(root, "Say").startswith("We're sorry, something went wrong") and root.find("Hangup") is not None
        )

        # While it is down: every webhook still answers valid TwiML, people get a kind 503, health says so.
        for event_name, params in [
            ("answered", {"CallSid": SID}),
            ("gather", {"CallSid": SID, "Digits": "1"}),
            ("silence", {"CallSid": SID}),
            ("dial", {"CallSid": SID, "DialCallStatus": "busy"}),
        ]:
            response = signed_post(client, f"{voice}/{event_name}", params)
            assert response.status_code == 200, event_name
            assert find_text(parse_twiml(response.data, strict=True), "Say").startswith("We're sorry")
        status = signed_post(
            client, f"{voice}/status", {"CallSid": SID, "CallStatus": "completed", "SequenceNumber": "3"}
        )
        assert status.status_code == 200 and parse_twiml(status.data, strict=True).tag == "Response"
        inbound = signed_post(client, "/twilio/inbound", {"CallSid": SID})
        assert inbound.status_code == 200 and parse_twiml(inbound.data, strict=True).find("Say") is not None
        assert client.get("/healthz").status_code == 503
        page = client.get("/c/families")
        assert page.status_code == 503 and "We're having trouble right now" in html.unescape(
            page.get_data(as_text=True)
        )
        form = client.post("/c/families", data={"phone": "(617) 555-0123", "location": "01003"})
        assert form.status_code == 503 and "Nothing you sent was saved." in html.unescape(form.get_data(as_text=True))
        status_json = client.get(f"/calls/{public_id}/status")
        assert status_json.status_code == 503 and status_json.get_json()["error"] == "unavailable"

        cluster.start()
        # Neither half of the interrupted transaction was kept, and the completed callback sent while
        # the database was down was not half-applied either.
        assert stored(call_id) == ("script", [LegStatus.planned, LegStatus.planned])
        assert client.get("/healthz").status_code == 200
        # The call carries on from where the database says it is.
        again = parse_twiml(signed_post(client, f"{voice}/gather", {"CallSid": SID, "Digits": "1"}).data, strict=True)
        assert find_text(again, "Dial/Number") == "+16177220001"
        assert stored(call_id) == ("dialing", [LegStatus.dialing, LegStatus.planned])
        db.session.remove()
        db.engine.dispose()
