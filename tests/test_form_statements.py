"""A supporter's form submission: the SQL it runs (the issue's budget is five statements; see bench/README.md)."""

from __future__ import annotations

import re

from sqlalchemy import event, select

from extensions import db
from models import Call
from tests.support.pages import DEMO, GOOD_PHONE, load_demo_campaign, seed_geography

# Where the submission stands today: the campaign, its fixed targets, the district and its members, the
# blocklist, the targets' districts, the caller (upsert and read), the call and one INSERT per leg.
STATEMENTS_TODAY = 11


def test_a_submission_never_reads_back_the_call_it_just_wrote(client, runner):
    load_demo_campaign(runner)
    seed_geography()
    seen: list[str] = []

    def count(conn, cursor, statement, *rest) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.post(f"/c/{DEMO}", data={"phone": GOOD_PHONE, "location": "01003", "name": "", "town": ""})
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 303
    [call] = db.session.scalars(select(Call)).all()
    assert response.headers["Location"].endswith(f"/calls/{call.public_id}")
    # Neither the new call's (empty) legs before adding them, nor the call itself after the commit.
    assert not [s for s in seen if re.match(r"SELECT .* FROM (calls|call_legs)\b", s)]
    assert len(seen) <= STATEMENTS_TODAY
