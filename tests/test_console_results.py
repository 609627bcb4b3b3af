"""The results page, its refresh JSON and the calls CSV: the same figures, previews left out, nothing personal."""

from __future__ import annotations

import csv
import io
import re

from extensions import db
from models import CallLegAttempt, CallStatus, LegStatus, Role, utcnow
from results.export import csv_lines
from results.records import CallRecord, LegRecord
from tests.support.console import signed_in_client
from tests.support.factories import make_call, make_campaign, make_district, make_target

PHONE = "+16175550101"


def _world(app):
    campaign = make_campaign(slug="families", title="Families")
    senator = make_target('=HYPERLINK("x")', "State Senator", district=make_district("upper", "First Middlesex"))
    make_district("upper", "Second Middlesex")
    rep = make_target("John Roe", "State Representative", "+16177220002", make_district("lower", "2nd Suffolk"))
    real = make_call(app, campaign, [senator, rep], phone=PHONE, supporter_name="Ana Secret", supporter_town="Lowell")
    real.status, real.step, real.answered_by = CallStatus.completed, "done", "human"
    real.legs[0].status, real.legs[0].duration, real.legs[0].feedback = LegStatus.completed, 75, "spoke"
    real.legs[1].status = LegStatus.busy
    # The representative's State House line gave no answer before their district office was busy too.
    real.legs[1].failovers = [CallLegAttempt(line=0, kind="capitol", status=LegStatus.no_answer)]
    preview = make_call(app, campaign, [senator, rep], phone="+16175550102")
    preview.preview, preview.step = True, "done"
    db.session.commit()
    return campaign


def test_the_results_page_shows_the_figures_without_previews(app):
    _world(app)
    page = signed_in_client(app, Role.viewer).get("/console/campaigns/families").get_data(as_text=True)
    assert '<dd data-figure="requested">1</dd>' in page
    assert '<dd data-figure="connected">1</dd>' in page
    assert "Second Middlesex (upper)" in page  # no call has reached it yet
    assert "Ana Secret" not in page and "Lowell" not in page and "555" not in page
    assert "<svg" in page and "style=" not in page
    # The representative's row: two office lines dialed (attempts), no conversation, one busy, one no
    # answer, none skipped, one failover.
    row = page[page.index('<th scope="row">State Representative John Roe</th>') :].split("</tr>")[0]
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    # attempts, conversations, spoke, left a message, couldn't get through, busy, no answer, skipped, failed over
    assert cells[:9] == ["2", "0", "0", "0", "0", "1", "1", "0", "1"]


def test_the_refresh_json_carries_the_same_rendering_and_follows_new_calls(app):
    campaign = _world(app)
    client = signed_in_client(app, Role.viewer)
    first = client.get("/console/campaigns/families/results.json").get_json()
    assert first["requested"] == 1 and '<dd data-figure="requested">1</dd>' in first["html"]
    make_call(app, campaign, [], phone="+16175550109")
    db.session.commit()
    assert client.get("/console/campaigns/families/results.json").get_json()["requested"] == 2


def test_the_csv_has_one_row_per_leg_and_no_number_name_or_town(app):
    _world(app)
    response = signed_in_client(app, Role.viewer).get("/console/campaigns/families/calls.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="families-calls-')
    text = response.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [
        (
            r["leg"],
            r["district"],
            r["twilio_status"],
            r["supporter_answer"],
            r["duration_seconds"],
            r["failed_over_from"],
        )
        for r in rows
    ] == [
        ("1", "First Middlesex (upper)", "completed", "spoke", "75", ""),
        ("2", "2nd Suffolk (lower)", "busy", "", "", "no-answer"),
    ]
    # A name a spreadsheet would run as a formula is quoted as text.
    assert rows[0]["target"] == 'State Senator =HYPERLINK("x")'
    for secret in ("Ana Secret", "Lowell", "555", "0101"):
        assert secret not in text


def test_a_formula_at_the_start_of_a_cell_is_quoted():

    leg = LegRecord(0, 1, "=cmd|' /C calc'!A0", 1, "@SUM(1)", "completed", None, None, None, None)
    lines = list(csv_lines([CallRecord(1, utcnow(), "completed", "done", "human", None, (leg,))]))
    row = next(csv.reader(io.StringIO(lines[1])))
    assert row[4] == "'@SUM(1)" and row[5] == "'=cmd|' /C calc'!A0"
