"""A call's transcript round-trips through JSON."""

from __future__ import annotations

import json

from tests.voicesim.twiml_app import DIAL, REP, TwimlApp, run, twiml
from voicesim import DialOutcome, event_from_dict, event_to_dict


def test_events_round_trip_through_json(app: TwimlApp) -> None:
    app.pages["/voice"] = DIAL
    app.pages["/dialed"] = twiml("<Say>ok</Say>")
    record = run(app, dial_scenario={REP: DialOutcome.answered(3)})
    dumped = json.loads(json.dumps([event_to_dict(e) for e in record.events]))
    assert [event_from_dict(d) for d in dumped] == record.events
    assert {d["kind"] for d in dumped} == {"Requested", "Said", "Dialed", "Ended"}
