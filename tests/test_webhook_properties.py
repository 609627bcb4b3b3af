"""Property-based: whatever Twilio-signed parameters arrive, every webhook answers well-formed TwiML, never a 5xx,
and changes nothing a valid event could not change; unsigned requests are refused."""

from __future__ import annotations

from typing import Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from extensions import db
from models import Base, Call, CallLeg
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.settings import TWILIO_TOKEN
from tests.support.signing import signed_post
from voicesim import parse_twiml

# Lone surrogates cannot be sent as UTF-8 form data; Hypothesis names the Unicode category as a literal.
SURROGATES: tuple[Literal["Cs"]] = ("Cs",)
NAMES = [
    "CallSid",
    "AccountSid",
    "From",
    "To",
    "CallStatus",
    "Direction",
    "ApiVersion",
    "Digits",
    "AnsweredBy",
    "DialCallStatus",
    "DialCallDuration",
    "DialCallSid",
    "DialBridged",
    "SequenceNumber",
    "CallDuration",
    "Timestamp",
    "SpeechResult",
    "FinishedOnKey",
    "msg",
]
NASTY = [
    "' OR 1=1 --",
    "'; DROP TABLE calls; --",
    "<script>alert(1)</script>",
    "]]><Hangup/>",
    "<Dial>+19005551234</Dial>",
    "&amp;&lt;",
    "\x00",
    "\u202e\ufeff",
    "💥" * 50,
    "-1",
    "99999999999999999999999",
    "1e309",
    "NaN",
    " 7 ",
    "0x10",
    "completed",
    "in-progress",
    "busy",
    "no-answer",
    "failed",
    "canceled",
    "human",
    "machine_start",
    "1",
    "2",
    "3",
    "*",
    "#",
    "CA" + "a" * 32,
    "CA" + "A" * 40,
    "x" * 20000,
]
TEXT = st.text(alphabet=st.characters(blacklist_categories=SURROGATES), max_size=300)
VALUES = st.one_of(st.sampled_from(NASTY), TEXT, st.integers(-(2**70), 2**70).map(str))
PARAMS = st.dictionaries(
    st.one_of(st.sampled_from(NAMES), st.text(min_size=1, max_size=20).filter(lambda k: "\x00" not in k)),
    VALUES,
    max_size=8,
)
EVENTS = st.one_of(
    st.sampled_from(["answered", "gather", "silence", "dial", "status", "unknown", "Answered"]),
    st.from_regex(r"[A-Za-z0-9_-]{1,12}", fullmatch=True),
)
# Columns a valid event may change on its call (and on the call's legs, any leg column but the keys).
MAY_CHANGE = {
    "step",
    "position",
    "attempts",
    "twilio_sid",
    "answered_by",
    "status",
    "status_sequence",
    "answered_at",
    "ended_at",
    "duration",
    "phone_encrypted",
}
PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

# Up to sixty Hypothesis examples per test, each through the app and its database: seconds apiece.
pytestmark = pytest.mark.slow


@pytest.fixture
def signed_app(make_app):
    app = make_app(TWILIO_ACCOUNT_SID="AC" + "1" * 32, TWILIO_AUTH_TOKEN=TWILIO_TOKEN)
    with app.app_context():
        campaign = make_campaign()
        targets = [
            make_target("Jane Doe", "State Senator", "+16177220001", make_district("upper")),
            make_target("John Roe", "State Representative", "+16177220002", make_district("lower")),
        ]
        app.config["_calls"] = [make_call(app, campaign, targets, phone=f"+1617555{n:04d}").public_id for n in range(2)]
        yield app


def snapshot(target_public_id: str) -> dict:
    """Every row of every table, with the target call's changeable columns (and its legs' columns, the office
    lines it holds and its events) left out."""
    db.session.expire_all()
    target = db.session.scalars(select(Call).where(Call.public_id == target_public_id)).one()
    rows = {}
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            result = []
            for mapping in conn.execute(select(table)).mappings():
                row = dict(mapping)
                if table.name == "calls" and row["id"] == target.id:
                    row = {k: v for k, v in row.items() if k not in MAY_CHANGE}
                if table.name == "call_legs" and row["call_id"] == target.id:
                    row = {k: row[k] for k in ("id", "call_id", "position", "target_id", "district_id")}
                if table.name == "call_previews":
                    continue
                if table.name in ("line_leases", "webhook_events") and row["call_id"] == target.id:
                    continue  # the target call's own office lines held and its own events: its to change
                result.append(row)
            rows[table.name] = sorted(result, key=repr)
    return rows


def stored_values_are_sane(public_id: str) -> None:
    call = db.session.scalars(select(Call).where(Call.public_id == public_id)).one()
    assert call.twilio_sid is None or (call.twilio_sid.startswith("CA") and len(call.twilio_sid) == 34)
    assert call.answered_by is None or len(call.answered_by) <= 32
    for leg in db.session.scalars(select(CallLeg).where(CallLeg.call_id == call.id)):
        assert leg.duration is None or 0 <= leg.duration < 2**31
        assert leg.dial_call_sid is None or len(leg.dial_call_sid) <= 34


def post(app, path: str, params: dict, sign: bool = True):
    if sign:
        return signed_post(app.test_client(), path, params)
    return app.test_client().post(path, data=params)


@PROPERTY_SETTINGS
@given(event=EVENTS, params=PARAMS, which=st.sampled_from([0, "unknown"]))
def test_voice_and_status_webhooks_always_answer_twiml_and_change_only_their_call(signed_app, event, params, which):
    public_id = signed_app.config["_calls"][0] if which == 0 else "no-such-call"
    before = snapshot(signed_app.config["_calls"][0])
    response = post(signed_app, f"/twilio/calls/{public_id}/{event}", params)
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == "text/xml"
    root = parse_twiml(response.data, strict=True)
    if event != "status":
        assert len(root) > 0  # a voice answer always says or does something
    assert snapshot(signed_app.config["_calls"][0]) == before
    stored_values_are_sane(signed_app.config["_calls"][0])


@PROPERTY_SETTINGS
@given(params=PARAMS)
def test_the_inbound_webhook_always_answers_twiml_and_stores_nothing(signed_app, params):
    before = snapshot(signed_app.config["_calls"][0])
    response = post(signed_app, "/twilio/inbound", params)
    assert response.status_code == 200
    assert parse_twiml(response.data, strict=True).find("Say") is not None
    assert snapshot(signed_app.config["_calls"][0]) == before


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event=EVENTS, params=PARAMS, path=st.sampled_from(["calls/{id}/{event}", "inbound"]))
def test_unsigned_requests_are_refused_and_change_nothing(signed_app, event, params, path):
    public_id = signed_app.config["_calls"][0]
    before = snapshot(public_id)
    response = post(signed_app, "/twilio/" + path.format(id=public_id, event=event), params, sign=False)
    assert response.status_code == 403
    assert snapshot(public_id) == before
