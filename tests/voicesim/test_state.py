"""A simulated call's state round-trips through JSON and resumes where it left off."""

from __future__ import annotations

import json

import pytest

from tests.voicesim.twiml_app import (
    ACCOUNT,
    OUR_NUMBER,
    PUBLIC,
    REP,
    SUPPORTER,
    TwimlApp,
    run,
    simulator,
    twiml,
)
from voicesim import DialOutcome, Said, ScriptError, SimCallState

# --- state -----------------------------------------------------------------------------------


def test_state_round_trips_through_json_and_resumes_identically(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml(
        '<Say>Hi</Say><Gather action="/menu" numDigits="1"><Say>Press 1</Say></Gather><Say>Bye</Say>'
    )
    app.pages["/menu"] = twiml(f'<Dial action="/dialed">{REP}</Dial>')
    app.pages["/dialed"] = twiml("<Say>Thanks</Say><Hangup/>")
    sim = simulator(app, dial_scenario={REP: DialOutcome.answered(30)})

    step = sim.start(PUBLIC + "/voice", to=SUPPORTER, from_=OUR_NUMBER, account_sid=ACCOUNT)
    assert step.waiting_for == "gather"
    assert [e.text for e in step.events if isinstance(e, Said)] == ["Hi", "Press 1"]
    saved = json.loads(json.dumps(step.state.to_dict()))
    assert saved["index"] == 1 and saved["waiting_for"] == "gather" and saved["requests"] == 1

    restored = SimCallState.from_dict(saved)
    assert restored == step.state
    done = sim.resume(restored, "1")
    assert done.finished is True
    assert [e.text for e in done.events if isinstance(e, Said)] == ["Thanks"]
    assert done.state.requests == 3
    assert done.state.elapsed == 35  # 5 s ringing + 30 s bridged
    # resume() leaves the saved state untouched, so a browser can retry a step.
    assert restored.waiting_for == "gather" and restored.requests == 1


def test_state_from_foreign_dict_is_rejected() -> None:
    with pytest.raises(ValueError, match="SimCallState"):
        SimCallState.from_dict({"v": 1, "document": "<Response/>"})


def test_resuming_a_finished_call_raises(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml("<Hangup/>")
    record = run(app)
    with pytest.raises(ScriptError, match="ended"):
        simulator(app).resume(record.state, "1")
