"""The call page and its status JSON: what the supporter sees while the call goes on."""

from __future__ import annotations

import re

import pytest

from calls.planning import PlannedLeg, plan_call
from extensions import db
from models import CallStatus, Campaign, LegStatus, Office
from pages.progress import View
from privacy import PhoneVault
from tests.support.pages import GOOD_E164, Page, load_demo_campaign, page, seed_geography
from tests.support.settings import TWILIO_TOKEN

CAMPAIGN_URL = "https://patchthrough.example.org/c/protect-immigrant-families"


@pytest.fixture
def call(app, runner):
    """A queued call: the senator, the representative, then a vacant seat."""
    campaign = load_demo_campaign(runner)
    targets = seed_geography()
    vault = PhoneVault(app.config["PHONE_HASH_KEY"], app.config["PHONE_ENCRYPTION_KEY"])
    planned = plan_call(
        db.session,
        vault,
        campaign,
        GOOD_E164,
        [PlannedLeg(targets["ada"].id, "25D01"), PlannedLeg(targets["cy"].id, "25001"), PlannedLeg(None, "25003")],
        supporter_name="Ana",
        supporter_town="Lowell",
    )
    db.session.commit()
    return planned


def set_state(call, status, step="start", position=0, legs=(), answered_by=None):
    call.status, call.step, call.position, call.answered_by = status, step, position, answered_by
    for leg, leg_status in zip(call.legs, legs, strict=False):
        leg.status = leg_status
    db.session.commit()


P, D, C, B, S = LegStatus.planned, LegStatus.dialing, LegStatus.completed, LegStatus.busy, LegStatus.skipped


@pytest.mark.parametrize(
    "status, step, position, legs, answered_by, expected",
    [
        (
            CallStatus.queued,
            "start",
            0,
            (P, P, P),
            None,
            # No phone line in these tests: nobody will ring, so the page never says it is getting ready.
            (
                "queued",
                False,
                "Nobody will ring: this server has no phone line. Hear the call as a preview instead.",
                None,
                ["upcoming", "upcoming", "upcoming"],
            ),
        ),
        (
            CallStatus.initiated,
            "start",
            0,
            (P, P, P),
            None,
            (
                "ringing",
                False,
                "Your phone is ringing. Answer it to begin.",
                None,
                ["upcoming", "upcoming", "upcoming"],
            ),
        ),
        (
            CallStatus.ringing,
            "start",
            0,
            (P, P, P),
            None,
            (
                "ringing",
                False,
                "Your phone is ringing. Answer it to begin.",
                None,
                ["upcoming", "upcoming", "upcoming"],
            ),
        ),
        (
            CallStatus.in_progress,
            "script",
            0,
            (P, P, P),
            "human",
            (
                "talking_points",
                False,
                "You're listening to the talking points. Get ready to speak.",
                None,
                ["upcoming", "upcoming", "upcoming"],
            ),
        ),
        (
            CallStatus.in_progress,
            "dialing",
            0,
            (P, P, P),
            "human",
            ("connected", False, "Connecting you to State Senator Ada Adams.", 0, ["current", "upcoming", "upcoming"]),
        ),
        (
            CallStatus.in_progress,
            "dialing",
            1,
            (C, D, P),
            "human",
            (
                "connected",
                False,
                "Connecting you to State Representative Cy Cole.",
                1,
                ["reached", "current", "upcoming"],
            ),
        ),
        (
            CallStatus.in_progress,
            "feedback",
            0,
            (C, P, P),
            "human",
            (
                "between",
                False,
                "Stay on the line: next is State Representative Cy Cole.",
                1,
                ["reached", "upcoming", "upcoming"],
            ),
        ),
        (
            CallStatus.in_progress,
            "offer",
            1,
            (C, P, P),
            "human",
            (
                "between",
                False,
                "Stay on the line: next is State Representative Cy Cole.",
                1,
                ["reached", "upcoming", "upcoming"],
            ),
        ),
        (
            CallStatus.in_progress,
            "done",
            2,
            (C, B, S),
            "human",
            ("between", False, "Stay on the line.", None, ["reached", "missed", "skipped"]),
        ),
        (
            CallStatus.in_progress,
            "a-step-added-later",
            0,
            (P, P, P),
            "human",
            ("in_progress", False, "Your call is in progress.", None, ["upcoming", "upcoming", "upcoming"]),
        ),
        (
            CallStatus.completed,
            "done",
            2,
            (C, C, S),
            "human",
            ("done", True, "Your call is over. Thank you!", None, ["reached", "reached", "skipped"]),
        ),
        (
            CallStatus.completed,
            "done",
            0,
            (P, P, P),
            "machine_end_beep",
            (
                "unreached",
                True,
                "We couldn't reach you: the call wasn't answered.",
                None,
                ["upcoming", "upcoming", "upcoming"],
            ),
        ),
        (
            CallStatus.busy,
            "start",
            0,
            (P, P, P),
            None,
            (
                "unreached",
                True,
                "We couldn't reach you: the call wasn't answered.",
                None,
                ["upcoming", "upcoming", "upcoming"],
            ),
        ),
        (
            CallStatus.no_answer,
            "start",
            0,
            (P, P, P),
            None,
            (
                "unreached",
                True,
                "We couldn't reach you: the call wasn't answered.",
                None,
                ["upcoming", "upcoming", "upcoming"],
            ),
        ),
        (
            CallStatus.failed,
            "start",
            0,
            (P, P, P),
            None,
            (
                "failed",
                True,
                "We couldn't place your call. You can call the offices yourself: their numbers are below.",
                None,
                ["upcoming", "upcoming", "upcoming"],
            ),
        ),
        (
            # Canceled before it was ever dialed: the supporter left the line.
            CallStatus.canceled,
            "start",
            0,
            (P, P, P),
            None,
            (
                "canceled",
                True,
                "You canceled your call. We won't call you.",
                None,
                ["upcoming", "upcoming", "upcoming"],
            ),
        ),
    ],
)
def test_the_status_json_follows_the_call(client, call, status, step, position, legs, answered_by, expected):
    set_state(call, status, step, position, legs, answered_by)

    response = client.get(f"/calls/{call.public_id}/status")

    state, final, message, current, leg_states = expected
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body.pop("view") in {v.value for v in View} and set(body.pop("view_html")) == {"top", "end"}
    assert body == {
        "state": state,
        "final": final,
        "message": message,
        "current": current,
        "legs": [{"position": n, "state": s} for n, s in enumerate(leg_states)],
        "line": None,  # no phone line here: nobody waits in a line
    }
    # The page, rendered at the same moment, says the same thing in its live region.
    html = page(client.get(f"/calls/{call.public_id}"))
    region = html.element("div", id="call-status")
    assert (region["data-state"], region["data-final"], region["aria-live"], region["role"]) == (
        state,
        "true" if final else "false",
        "polite",
        "status",
    )
    assert html.text("call-status") == message


def test_the_call_page_says_who_calls_the_script_and_whom_they_reach_in_order(client, call):
    client.application.config.update(TWILIO_ACCOUNT_SID="AC" + "1" * 32, TWILIO_AUTH_TOKEN=TWILIO_TOKEN)
    html = page(client.get(f"/calls/{call.public_id}"))
    text = html.visible_text()

    assert html.text("call-heading") == "We're calling you now from (617) 539-7340"
    assert "Your phone (+1 617 ••• ••23) will ring in a few seconds." in text
    assert "Hi, my name is Ana and I live in Lowell. I'm calling because" in text
    assert [a["href"] for a in html.all("a", class_="tel")] == ["tel:+16175550101", "tel:+16175550111;ext=204"]
    assert (
        "1 State Senator Ada Adams First Testing district · Democratic Call State Senator Ada Adams: (617) 555-0101 "
        "On the line now Called Not reached Skipped "
        "2 State Representative Cy Cole 1st Alpha district · Democratic "
        "Call State Representative Cy Cole: (617) 555-0111 ext. 204 "
        "On the line now Called Not reached Skipped "
        "3 House seat for the 3rd Alpha district "
        "This seat is vacant right now, so we'll skip it. Your other calls go ahead."
    ) in text
    assert [li["data-leg-state"] for li in html.all("li", class_="target")] == ["upcoming", "upcoming", "upcoming"]
    assert html.all("section", class_="card thanks") == []
    assert html.element("div", id="call-status")["data-status-url"] == f"/calls/{call.public_id}/status"


def test_without_twilio_the_call_page_offers_the_preview_instead_of_promising_a_ring(client, call):
    html = page(client.get(f"/calls/{call.public_id}"))
    assert html.text("call-heading") == "Your call is ready to preview"
    assert "will ring in a few seconds" not in html.visible_text()
    assert "Hear a preview of the call in your browser" in html.visible_text()


def test_without_a_name_or_town_the_script_shows_blanks_to_fill(client, call):
    call.supporter_name = call.supporter_town = None
    db.session.commit()

    text = page(client.get(f"/calls/{call.public_id}")).visible_text()

    assert "Hi, my name is [your name] and I live in [your town]. I'm calling" in text


def test_a_hostile_name_and_town_are_shown_as_text(client, call):
    call.supporter_name = '<script>alert("name")</script>'
    call.supporter_town = '"><img src=x onerror=alert(1)>'
    db.session.commit()

    html = client.get(f"/calls/{call.public_id}").get_data(as_text=True)

    assert "<script>alert" not in html and "<img src=x" not in html
    assert '<strong class="script-fill">&lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt;</strong>' in html
    assert '<strong class="script-fill">&#34;&gt;&lt;img src=x onerror=alert(1)&gt;</strong>' in html


def test_a_hostile_target_name_reaches_the_status_json_as_plain_text(client, call):
    call.legs[0].target.name = "Ada <b>&amp; Co</b>"
    set_state(call, CallStatus.in_progress, "dialing", 0, (D, P, P), "human")

    assert client.get(f"/calls/{call.public_id}/status").get_json()["message"] == (
        "Connecting you to State Senator Ada <b>&amp; Co</b>."
    )


def test_when_done_the_thank_you_shares_the_campaign_page_never_the_call_page(client, call):
    set_state(call, CallStatus.completed, "done", 2, (C, C, S), "human")

    html = page(client.get(f"/calls/{call.public_id}"))

    assert "hidden" not in html.element("section", class_="card thanks")
    assert html.text("thanks-heading") == "Thank you for calling"
    links = {a["href"] for a in html.all("a", class_="button share-link")}
    assert links == {
        "https://x.com/intent/post?text=I+just+called+my+state+legislators+to+ask+them+to+restore+protections+for+immigrant+families+before+the+session+ends.+It+takes+two+minutes+%E2%80%94+call+yours%3A"
        "&url=https%3A%2F%2Fpatchthrough.example.org%2Fc%2Fprotect-immigrant-families",
        "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fpatchthrough.example.org%2Fc%2Fprotect-immigrant-families",
        "https://wa.me/?text=I+just+called+my+state+legislators+to+ask+them+to+restore+protections+for+immigrant+families+before+the+session+ends.+It+takes+two+minutes+%E2%80%94+call+yours%3A+https%3A%2F%2Fpatchthrough.example.org%2Fc%2Fprotect-immigrant-families",
        "mailto:?subject=Protect%20immigrant%20families%20in%20Massachusetts&body=I%20just%20called%20my%20state%20legislators%20to%20ask%20them%20to%20restore%20protections%20for%20immigrant%20families%20before%20the%20session%20ends.%20It%20takes%20two%20minutes%20%E2%80%94%20call%20yours%3A%20https%3A%2F%2Fpatchthrough.example.org%2Fc%2Fprotect-immigrant-families",
    }
    assert html.element("button", class_="button share-link")["data-copy"] == CAMPAIGN_URL
    assert html.element("button", class_="button button-primary share-native")["data-share-url"] == CAMPAIGN_URL
    # The only link to the call is the reload link for browsers without JavaScript (the preview is over),
    # besides the language switch's links to this very page.
    call_links = [a["href"] for a in html.all("a") if "/calls/" in (a["href"] or "") and not a.get("hreflang")]
    assert call_links == [f"/calls/{call.public_id}"]
    learn_more = html.element("a", class_="learn-more")
    assert learn_more["href"] == "https://malegislature.gov/Bills/Search?SearchTerms=Safe+Communities+Act"


def test_an_unreached_supporter_is_offered_another_try(client, call):
    set_state(call, CallStatus.no_answer)

    html = page(client.get(f"/calls/{call.public_id}"))

    assert "hidden" not in html.element("section", class_="card retry")
    assert html.all("section", class_="card thanks") == []


def test_an_unknown_call_id_is_404_for_the_page_and_the_json(client, call):
    assert client.get("/calls/not-a-call").status_code == 404
    assert client.get("/calls/not-a-call/status").status_code == 404


@pytest.mark.parametrize(
    "sid, with_preview, shown",
    [("", True, True), ("", False, False), ("AC" + "0" * 32, True, False)],
)
def test_the_preview_link_appears_only_without_twilio_and_when_the_preview_exists(make_app, sid, with_preview, shown):
    app = make_app(TWILIO_ACCOUNT_SID=sid, TWILIO_AUTH_TOKEN=TWILIO_TOKEN if sid else "")
    if not with_preview:
        # As on a deployment built without the preview: the page must not link to a missing endpoint.
        app.view_functions.pop("preview.show")
    with app.app_context():
        load_demo_campaign(app.test_cli_runner())
        targets = seed_geography()
        vault = PhoneVault(app.config["PHONE_HASH_KEY"], app.config["PHONE_ENCRYPTION_KEY"])
        campaign = db.session.query(Campaign).one()
        planned = plan_call(db.session, vault, campaign, GOOD_E164, [PlannedLeg(targets["ada"].id, "25D01")])
        db.session.commit()
        public_id = planned.public_id
        html = page(app.test_client().get(f"/calls/{public_id}"))

    links = [a["href"] for a in html.all("a") if "/preview" in (a["href"] or "")]
    assert links == ([f"/calls/{public_id}/preview"] if shown else [])


def test_while_the_dialer_retries_the_page_says_we_are_still_trying(client, call):
    call.dial_attempts, call.failure_reason = 2, "Twilio answered 503 (code 20503)"
    db.session.commit()
    body = client.get(f"/calls/{call.public_id}/status").get_json()
    assert (body["state"], body["final"]) == ("retrying", False)
    assert body["message"] == "The phone network is slow to answer us. We're still trying to call you…"
    assert "20503" not in client.get(f"/calls/{call.public_id}").get_data(as_text=True)  # no internals shown


def test_once_the_call_is_over_the_heading_says_so_instead_of_promising_a_ring(client, call):
    call.status = CallStatus.completed
    db.session.commit()
    # Hung up before any office was dialed: not "done", and not "nobody answered" either.
    assert page(client.get(f"/calls/{call.public_id}")).text("call-heading") == "Your call ended before the offices"
    call.status = CallStatus.no_answer
    db.session.commit()
    assert page(client.get(f"/calls/{call.public_id}")).text("call-heading") == "We couldn't reach you"


def test_in_the_preview_the_page_never_says_it_is_getting_ready_to_call(client, call):
    html = page(client.get(f"/calls/{call.public_id}"))
    body = client.get(f"/calls/{call.public_id}/status").get_json()

    assert "Getting ready to call you" not in html.visible_text()
    assert (
        html.text("call-status")
        == body["message"]
        == ("Nobody will ring: this server has no phone line. Hear the call as a preview instead.")
    )
    assert body["view"] == "preview"


@pytest.mark.parametrize(
    "legs, heading, lede, thanks, still_to_call",
    [
        ((C, C, S), "Your call is done", "Thank you for speaking up: every office you called answered.", True, ""),
        (
            (C, B, S),
            "Your call is done",
            "You reached State Senator Ada Adams. State Representative Cy Cole's office didn't answer: "
            "you can call them yourself now.",
            True,
            "Call State Representative Cy Cole: (617) 555-0111 ext. 204",
        ),
        (
            (B, LegStatus.no_answer, S),
            "Nobody answered at the offices",
            "Your call went through, but no office picked up. Please call them yourself: their numbers are below.",
            False,
            "Call State Senator Ada Adams: (617) 555-0101 Call State Representative Cy Cole: (617) 555-0111 ext. 204",
        ),
    ],
)
def test_the_ending_says_who_was_reached_and_who_was_not(client, call, legs, heading, lede, thanks, still_to_call):
    set_state(call, CallStatus.completed, "done", 2, legs, "human")

    html = page(client.get(f"/calls/{call.public_id}"))

    assert html.text("call-heading") == heading
    assert html.text("call-lede") == lede
    assert bool(html.all("section", class_="card thanks")) is thanks  # sharing after a conversation, not instead
    assert html.text("still-to-call") == still_to_call
    assert "Who you'll be connected to" not in html.visible_text()
    assert "nobody will ring" not in html.visible_text()  # the demo box is gone once the call is over


def test_the_status_json_carries_the_whole_page_state_in_the_pages_own_words(client, call):
    set_state(call, CallStatus.completed, "done", 2, (B, B, S), "human")

    body = client.get(f"/calls/{call.public_id}/status").get_json()
    html = page(client.get(f"/calls/{call.public_id}"))

    assert body["view"] == "nobody_answered"
    top = Page(body["view_html"]["top"])
    assert top.text("call-heading") == html.text("call-heading") == "Nobody answered at the offices"
    end = Page(body["view_html"]["end"])
    assert [a["href"] for a in end.all("a", class_="tel still-to-call button")] == [
        "tel:+16175550101",
        "tel:+16175550111;ext=204",
    ]


def test_each_targets_other_office_lines_are_offered_to_tap_too(app, call):
    ada = call.legs[0].target
    ada.offices.extend(
        [
            Office(position=0, kind="capitol", phone=ada.phone, extension=None),
            Office(position=1, kind="district", phone="+15087570323", extension="13"),
        ]
    )
    db.session.commit()
    html = app.test_client().get(f"/calls/{call.public_id}").get_data(as_text=True)
    links = re.findall(r'<a class="tel[^"]*" href="([^"]+)">(.*?)</a>', html)
    assert [(href, re.sub(r"<[^>]+>", "", text)) for href, text in links][:2] == [
        ("tel:+16175550101", "Call State Senator Ada Adams: (617) 555-0101"),
        ("tel:+15087570323;ext=13", "Call State Senator Ada Adams, District office: (508) 757-0323 ext. 13"),
    ]
