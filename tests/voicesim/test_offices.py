"""Offices: several calls at once on one simulated clock; a number answers busy once its lines are all in use."""

from __future__ import annotations

import pytest

from tests.voicesim.twiml_app import ACCOUNT, OUR_NUMBER, PUBLIC, REP, SUPPORTER, TwimlApp, simulator, twiml
from voicesim import OfficeCall, Offices
from voicesim.events import Dialed


def calls(starts: list[float]) -> list[OfficeCall]:
    start = {"to": SUPPORTER, "from_": OUR_NUMBER, "account_sid": ACCOUNT}
    return [OfficeCall(start_at=at, url=PUBLIC + "/voice", start=start) for at in starts]


def statuses(record) -> list[tuple[str, int]]:
    return [(d.status, d.duration) for d in record.events if isinstance(d, Dialed)]


@pytest.fixture
def one_office(app: TwimlApp) -> TwimlApp:
    app.pages["/voice"] = twiml(f'<Dial action="/dialed" timeout="20"><Number>{REP}</Number></Dial>')
    app.pages["/dialed"] = twiml("<Hangup/>")
    return app


def test_a_number_with_two_lines_answers_busy_to_a_third_caller_while_two_talk(one_office: TwimlApp) -> None:
    offices = Offices(simulator(one_office), lines_per_number=2, talk_seconds=60)
    records = offices.run(calls([0, 1, 2]))
    assert [statuses(r) for r in records] == [[("completed", 60)], [("completed", 60)], [("busy", 0)]]
    assert offices.most_live[REP] == 2 and offices.live[REP] == 0


def test_a_line_given_back_when_a_conversation_ends_is_answered_again(one_office: TwimlApp) -> None:
    offices = Offices(simulator(one_office), lines_per_number=1, talk_seconds=60)
    # The first conversation rings 5 s and talks 60 s: over at 65 s. A caller at 64 s hears busy, at 66 s not.
    records = offices.run(calls([0, 64, 66]))
    assert [statuses(r) for r in records] == [[("completed", 60)], [("busy", 0)], [("completed", 60)]]


def test_an_office_has_at_least_one_line(one_office: TwimlApp) -> None:
    with pytest.raises(ValueError, match="at least one line"):
        Offices(simulator(one_office), lines_per_number=0, talk_seconds=60)
