"""OFFICE_LINE_LIMIT across processes: a surge on one senator through two gunicorn workers and this process."""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ET
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select, update

from callflow.vocabulary import Step
from extensions import db
from models import Call, CallStatus, LineLease
from tests.support.dialers import dialer_env
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.served_app import start_gunicorn, wait_until_up
from tests.support.settings import TWILIO_TOKEN
from tests.support.signing import sign_webhook

SENATOR, REP = "+16177220001", "+16177220002"
SUPPORTERS = 8


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(make_app, database_url, rest, tmp_path):
    """Two gunicorn workers (four threads each) on the test database, two lines per office number."""
    app = make_app(OFFICE_LINE_LIMIT=2)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **dialer_env(database_url, rest.base_url),
        "PUBLIC_BASE_URL": base,
        "OFFICE_LINE_LIMIT": "2",
        "DIALER_INTERVAL": "3600",  # these calls are already connected: nothing for the dialer thread to do
    }
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "w") as log:
        process = start_gunicorn(port, env, log)
        try:
            wait_until_up(base, process, log_path)
            with app.app_context():
                yield app, base
        finally:
            process.terminate()
            process.wait(timeout=10)


def connected_calls(app, count: int) -> list[str]:
    """Supporters listening to the talking points, each to call the senator then the representative."""
    campaign = make_campaign()
    senator = make_target("Jane Doe", "State Senator", SENATOR, make_district("upper", "First Middlesex"))
    rep = make_target("John Roe", "State Representative", REP, make_district("lower", "2nd Suffolk"))
    calls = [make_call(app, campaign, [senator, rep], phone=f"+161755502{n:02d}") for n in range(count)]
    db.session.execute(
        update(Call).where(Call.id.in_([c.id for c in calls])).values(step=Step.SCRIPT, status=CallStatus.in_progress)
    )
    db.session.commit()
    return [c.public_id for c in calls]


def post(base: str, public_id: str, event: str, **form: str) -> ET.Element:
    url = f"{base}/twilio/calls/{public_id}/{event}"
    response = requests.post(url, data=form, headers={"X-Twilio-Signature": sign_webhook(TWILIO_TOKEN, url, form)})
    assert response.status_code == 200, response.text
    return ET.fromstring(response.content)


def dialed(root: ET.Element) -> str:
    number = root.find("./Dial/Number")
    return number.text or "" if number is not None else "waits"


def leases() -> Counter[str]:
    db.session.expire_all()
    rows = db.session.execute(select(LineLease.phone, func.count()).group_by(LineLease.phone)).all()
    return Counter(dict(rows))


@pytest.mark.slow
def test_a_surge_through_two_workers_never_puts_more_than_two_supporters_on_a_line(served):
    app, base = served
    ids = connected_calls(app, SUPPORTERS)
    # Everyone presses 1 at once, across both workers' threads.
    with ThreadPoolExecutor(SUPPORTERS) as pool:
        first = dict(zip(ids, pool.map(lambda i: dialed(post(base, i, "gather", Digits="1")), ids), strict=True))
    assert Counter(first.values()) == {SENATOR: 2, REP: 2, "waits": 4}
    assert leases() == {SENATOR: 2, REP: 2}
    # The senator's two conversations end (each in whichever worker): their lines are given back ...
    talking_to_senator = [i for i, number in first.items() if number == SENATOR]
    with ThreadPoolExecutor(2) as pool:
        list(
            pool.map(
                lambda i: post(base, i, "dial", DialCallStatus="completed", DialCallDuration="60"), talking_to_senator
            )
        )
    assert leases() == {REP: 2}
    # ... and of the four waiting, at their next look exactly two reach the senator (this process included).
    waiting = [i for i, number in first.items() if number == "waits"]
    with ThreadPoolExecutor(len(waiting)) as pool:
        again = list(pool.map(lambda i: dialed(post(base, i, "silence")), waiting))
    assert Counter(again) == {SENATOR: 2, "waits": 2}
    assert leases() == {SENATOR: 2, REP: 2}
