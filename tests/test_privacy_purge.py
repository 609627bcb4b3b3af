"""`flask privacy purge`: names, towns, previews and leftover numbers go; anonymous counts stay."""

from __future__ import annotations

from datetime import timedelta

import pytest

from extensions import db
from models import Call, Caller, CallLeg, CallPreview, CallStatus, LegStatus, TextMessage, utcnow
from privacy.purge import parse_age
from tests.support.factories import make_call, make_campaign, make_district, make_target


def aged(call: Call, days: int, status: CallStatus) -> Call:
    call.created_at = utcnow() - timedelta(days=days)
    call.status = status
    return call


def test_purge_erases_what_is_no_longer_needed_and_keeps_the_counts(app, runner):
    campaign = make_campaign()
    senator = make_target("Jane Doe", district=make_district("upper"))
    old_done = aged(
        make_call(app, campaign, [senator], phone="+16175550001", supporter_name="Ana", supporter_town="Lowell"),
        40,
        CallStatus.completed,
    )
    old_stuck = aged(
        make_call(app, campaign, [senator], phone="+16175550002", supporter_name="Bo"), 40, CallStatus.ringing
    )
    recent_done = aged(
        make_call(app, campaign, [senator], phone="+16175550003", supporter_name="Cy"), 2, CallStatus.busy
    )
    recent_live = aged(
        make_call(app, campaign, [senator], phone="+16175550004", supporter_town="Salem"), 0, CallStatus.in_progress
    )
    old_done.legs[0].status = LegStatus.completed
    db.session.add_all(
        [
            CallPreview(call_id=old_done.id, state={}, transcript=[]),
            CallPreview(call_id=recent_live.id, state={}, transcript=[]),
        ]
    )
    db.session.commit()

    result = runner.invoke(args=["privacy", "purge", "--older-than", "30d"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Erased names and towns from 2 call(s), encrypted numbers from 3 call(s); deleted 1 preview(s).",
        "Kept: 4 call(s), 4 leg(s); leg outcomes: completed 1, planned 3.",
    ]
    db.session.expire_all()
    state = {
        c.id: (c.supporter_name, c.supporter_town, c.phone_encrypted is not None, c.status)
        for c in db.session.query(Call)
    }
    assert state == {
        old_done.id: (None, None, False, CallStatus.completed),
        old_stuck.id: (None, None, False, CallStatus.ringing),  # never got its last callback: its number goes
        recent_done.id: ("Cy", None, False, CallStatus.busy),  # ended: the number goes, the name stays a while
        recent_live.id: (None, "Salem", True, CallStatus.in_progress),  # still needed
    }
    assert [p.call_id for p in db.session.query(CallPreview)] == [recent_live.id]
    assert db.session.query(Caller).count() == 4 and db.session.query(CallLeg).count() == 4


def test_notes_a_call_page_never_showed_go_with_the_names_and_towns(app, runner):
    noted = [["geocoder_unavailable", {"zip": "01003"}]]
    old = aged(make_call(app, make_campaign(), []), 40, CallStatus.completed)
    recent = aged(make_call(app, make_campaign(), []), 2, CallStatus.queued)
    old.notes, recent.notes = noted, noted
    db.session.commit()
    assert runner.invoke(args=["privacy", "purge", "--older-than", "30d"]).exit_code == 0
    db.session.expire_all()
    assert (db.session.get_one(Call, old.id).notes, db.session.get_one(Call, recent.id).notes) == (None, noted)
    assert db.session.query(Call).filter(Call.notes.is_(None)).count() == 1  # a NULL, not a JSON null


def test_purging_twice_changes_nothing_more(app, runner):
    call = aged(make_call(app, make_campaign(), [], supporter_name="Ana"), 40, CallStatus.completed)
    db.session.commit()
    runner.invoke(args=["privacy", "purge"])
    again = runner.invoke(args=["privacy", "purge", "--older-than", "30d"])
    assert (
        again.output.splitlines()[0]
        == "Erased names and towns from 0 call(s), encrypted numbers from 0 call(s); deleted 0 preview(s)."
    )
    assert db.session.get_one(Call, call.id).supporter_name is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("30d", timedelta(days=30)),
        ("12h", timedelta(hours=12)),
        ("2w", timedelta(weeks=2)),
        (" 90m ", timedelta(minutes=90)),
    ],
)
def test_ages_read_with_their_unit(text, expected):
    assert parse_age(text) == expected


@pytest.mark.parametrize("text", ["", "30", "0d", "-1d", "30 days", "1y"])
def test_a_bad_age_is_refused_before_anything_is_deleted(app, runner, text):
    call = aged(make_call(app, make_campaign(), [], supporter_name="Ana"), 400, CallStatus.completed)
    db.session.commit()
    result = runner.invoke(args=["privacy", "purge", "--older-than", text])
    assert result.exit_code == 2 and "--older-than" in result.output
    assert db.session.get_one(Call, call.id).supporter_name == "Ana"


def test_a_promised_texts_number_goes_once_it_is_sent_or_given_up_or_too_old(app, runner):
    call = make_call(app, make_campaign(), [make_target("Jane Doe", district=make_district("upper"))])

    def text(**state) -> TextMessage:
        row = TextMessage(call_id=call.id, phone_encrypted=b"sealed", from_number="+16175397340", body="link", **state)
        db.session.add(row)
        return row

    sent = text(sent_at=utcnow())
    refused = text(failure="Twilio refused the text: code 21610")
    waiting = text()
    forgotten = text(created_at=utcnow() - timedelta(days=40))
    db.session.commit()

    result = runner.invoke(args=["privacy", "purge", "--older-than", "30d"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert [db.session.get_one(TextMessage, t.id).phone_encrypted for t in (sent, refused, waiting, forgotten)] == [
        None,
        None,
        b"sealed",
        None,
    ]
