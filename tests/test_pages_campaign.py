"""The campaign page and its form, through the Flask test client, on a small made-up geography."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from extensions import db
from models import Call, CallStatus, CampaignStatus, CampaignTarget, LegStatus, Target
from privacy import PhoneVault
from tests.support.checks import present
from tests.support.pages import (
    DEMO,
    GOOD_E164,
    GOOD_PHONE,
    load_demo_campaign,
    nothing_stored,
    only_call,
    page,
    seed_geography,
)

FORM_URL = f"/c/{DEMO}"


@pytest.fixture
def campaign(app, runner):
    """The demo campaign, live until 2029."""
    return load_demo_campaign(runner)


@pytest.fixture
def targets(campaign):
    """The made-up geography (see tests/support/pages.py)."""
    return seed_geography()


def post(client, **fields):
    data = {"phone": GOOD_PHONE, "location": "01003", "name": "", "town": ""} | fields
    return client.post(FORM_URL, data=data)


def test_the_home_page_shows_the_live_campaign(client, campaign):
    response = client.get("/")
    html = page(response)

    assert response.status_code == 200
    assert html.text("main").startswith(
        "Protect immigrant families in Massachusetts Call your state legislators today to protect immigrant "
        "families Call now"
    )
    # Phone first: the headline, the form, then the story.
    assert html.text("main").index("Call now") < html.text("main").index("In May the state Senate")
    deadline = html.element("time")
    assert deadline["datetime"] == "2029-08-01T04:00:00+00:00"
    assert "Deadline: Midnight at the end of Tuesday, July 31 (EDT)" in html.visible_text()
    countdown = html.element("p", class_="countdown")
    assert (countdown["data-ends"], countdown["data-campaign-zone"]) == (
        "2029-08-01T04:00:00+00:00",
        "America/New_York",
    )
    assert "We'll call you from (617) 539-7340 and connect you to your legislators." in html.visible_text()
    assert html.element("form")["action"] == FORM_URL
    phone = html.element("input", id="phone")
    assert (phone["type"], phone["autocomplete"], phone["inputmode"], phone["name"]) == ("tel", "tel", "tel", "phone")
    assert phone["aria-describedby"] == "phone-hint phone-error" and "aria-invalid" not in phone
    assert html.element("label", for_="phone") is not None
    assert html.element("input", id="location")["name"] == "location"
    assert (html.element("input", id="name")["autocomplete"], html.element("input", id="town")["autocomplete"]) == (
        "given-name",
        "address-level2",
    )
    assert "Read about the protections, based on the Safe Communities Act" in html.visible_text()


def test_the_slug_url_shows_the_same_campaign_and_an_unknown_slug_is_404(client, campaign):
    assert "Call your state legislators today" in page(client.get(FORM_URL)).visible_text()
    missing = client.get("/c/no-such-campaign")
    assert missing.status_code == 404
    assert "We can't find that page" in page(missing).visible_text()


def test_no_campaign_at_all_says_so(client):
    response = client.get("/")

    assert response.status_code == 404
    assert "No campaign is running" in page(response).visible_text()


def test_a_deadline_not_at_midnight_is_given_as_a_time(client, campaign):
    campaign.ends_at = datetime(2029, 7, 31, 21, 0, tzinfo=UTC)  # 5 p.m. in Boston
    db.session.commit()

    assert "Deadline: 5:00 PM on Tuesday, July 31 (EDT)" in page(client.get(FORM_URL)).visible_text()


def test_a_single_district_zip_plans_the_senator_then_the_representative(client, targets):
    response = post(client, location="01003", name="Ana", town="Springfield")

    call = only_call()
    assert response.status_code == 303
    assert response.headers["Location"] == f"/calls/{call.public_id}"
    assert [(leg.position, present(leg.target).name, present(leg.district).census_geoid) for leg in call.legs] == [
        (0, "Ada Adams", "25D01"),
        (1, "Cy Cole", "25001"),
    ]
    assert (call.supporter_name, call.supporter_town, call.status.value, call.step) == (
        "Ana",
        "Springfield",
        "queued",
        "start",
    )


def test_the_phone_number_is_stored_only_encrypted_and_never_in_a_url(client, app, targets):
    response = post(client)

    call = only_call()
    digits = re.sub(r"\D", "", GOOD_PHONE)
    assert digits not in response.headers["Location"] and "555" not in response.headers["Location"]
    assert call.phone_encrypted is not None and GOOD_E164.encode() not in call.phone_encrypted
    vault = PhoneVault(app.config["PHONE_HASH_KEY"], app.config["PHONE_ENCRYPTION_KEY"])
    assert vault.decrypt(call.phone_encrypted) == GOOD_E164
    assert call.caller is not None and call.caller.phone_hash == vault.hash(GOOD_E164)
    call_page = client.get(response.headers["Location"])
    assert digits not in call_page.get_data(as_text=True)
    assert "+1 617 ••• ••23" in page(call_page).visible_text()
    assert all(digits not in header for header in call_page.headers.values())


def test_a_house_only_split_asks_for_the_representative_with_the_senator_settled(client, targets):
    response = post(client, location="01001")
    html = page(response)

    assert response.status_code == 200 and nothing_stored()
    assert html.text("picker").startswith("One more question")
    assert "Which of these is your state representative?" in html.text("picker")
    assert "Which of these is your state senator?" not in html.text("picker")
    assert "Your state senator: Ada Adams (First Testing district)" in html.text("picker")
    radios = html.all("input", type="radio")
    assert [(r["name"], r["value"]) for r in radios] == [("pick_lower", "25001"), ("pick_lower", "25002")]
    assert html.text("pick_lower-hint") == "ZIP 01001 is split between 2 House districts. Which one is yours?"
    assert [html.element("label", for_=f"pick_lower-{n}") for n in (1, 2)] == [
        {"for": "pick_lower-1"},
        {"for": "pick_lower-2"},
    ]
    assert "Cy Cole 1st Alpha district Covers Amherst, Agawam Di Diaz 2nd Alpha district" in html.visible_text()
    # What the supporter typed is still there.
    assert html.element("input", id="phone")["value"] == GOOD_PHONE
    assert html.element("input", id="location")["value"] == "01001"
    assert html.element("input", type="hidden", name="asked")["value"] == "lower"


def test_the_picker_suggests_the_street_address_only_when_a_geocoder_is_configured(make_app, runner):
    for url, expected in (("", False), ("http://127.0.0.1:9", True)):
        app = make_app(CENSUS_GEOCODER_URL=url)
        with app.app_context():
            if url == "":
                load_demo_campaign(app.test_cli_runner())
                seed_geography()
            html = page(app.test_client().post(FORM_URL, data={"phone": GOOD_PHONE, "location": "01001"}))
        assert ("Type your street address in the box above" in html.visible_text()) is expected


def test_picking_a_district_completes_the_call(client, targets):
    response = post(client, location="01001", pick_lower="25002", asked="lower")

    assert response.status_code == 303
    assert [present(leg.target).name for leg in only_call().legs] == ["Ada Adams", "Di Diaz"]


def test_both_chambers_split_asks_two_questions(client, targets):
    html = page(post(client, location="01004"))

    assert [(r["name"], r["value"]) for r in html.all("input", type="radio")] == [
        ("pick_upper", "25D01"),
        ("pick_upper", "25D02"),
        ("pick_lower", "25001"),
        ("pick_lower", "25002"),
    ]
    assert "Which of these is your state senator?" in html.text("picker")


def test_a_forged_pick_is_refused_and_the_question_asked_again(client, targets):
    response = post(client, location="01001", pick_lower="25003", asked="lower")
    html = page(response)

    assert response.status_code == 422 and nothing_stored()
    assert (
        html.text("pick_lower-error")
        == "Error: The House district you chose is not one of those we offered. Please choose again."
    )
    assert html.text("error-summary") == (
        "Please fix this to place your call The House district you chose is not one of those we offered. Please "
        "choose again."
    )
    assert html.element("a", href="#pick_lower-1") is not None


def test_submitting_the_picker_without_a_choice_asks_for_one(client, targets):
    html = page(post(client, location="01001", asked="lower"))

    # Named for its chamber, so two unanswered questions never read as the same sentence twice.
    assert html.text("pick_lower-error") == "Error: Please choose your House district."
    assert nothing_stored()


def test_a_vacant_seat_is_planned_as_an_empty_leg_and_the_senator_still_called(client, targets):
    response = post(client, location="01002")

    call = only_call()
    assert response.status_code == 303
    assert [(leg.target.name if leg.target else None, present(leg.district).name, leg.status) for leg in call.legs] == [
        ("Ada Adams", "First Testing", LegStatus.planned),
        (None, "3rd Alpha", LegStatus.planned),
    ]
    text = page(client.get(response.headers["Location"])).visible_text()
    vacancy = "House seat for the 3rd Alpha district This seat is vacant right now, so we'll skip it."
    assert vacancy + " Your other calls go ahead." in text


def test_the_campaigns_fixed_targets_come_after_the_legislators_in_its_order(client, campaign, targets):
    governor = Target(source_id="test:gov", name="Gail Governor", title="Governor", state="MA", phone="+16177254005")
    db.session.add(governor)
    campaign.fixed_targets.extend(
        [CampaignTarget(target=governor, position=0), CampaignTarget(target=targets["bo"], position=1)]
    )
    db.session.commit()

    post(client, location="01003")

    assert [present(leg.target).name for leg in only_call().legs] == [
        "Ada Adams",
        "Cy Cole",
        "Gail Governor",
        "Bo Baker",
    ]


@pytest.mark.parametrize(
    "location, sentence",
    [
        ("03301", "03301 is in New Hampshire; this campaign is for Massachusetts legislators."),
        (
            "02112",
            "We could not find ZIP 02112 on our Massachusetts district map. Please type your street address instead.",
        ),
        ("00000", "00000 is not a ZIP code we know. Please check it, or type your street address."),
        ("0210", "A ZIP code has five digits, like 02108. Please check yours."),
        ("", "Please type your ZIP code or your street address."),
    ],
)
def test_a_place_we_cannot_use_is_said_plainly_on_the_form_and_nothing_is_stored(client, targets, location, sentence):
    response = post(client, location=location)
    html = page(response)

    assert response.status_code == 422
    assert html.text("location-error") == f"Error: {sentence}"
    assert html.element("input", id="location")["aria-invalid"] == "true"
    assert html.element("input", id="location")["value"] == location
    assert nothing_stored()


@pytest.mark.parametrize(
    "phone, sentence",
    [
        ("", "Please type your phone number, so we can call you."),
        ("555-0123", "That number is too short. Please type all ten digits, with the area code."),
        ("+44 20 7946 0958", "We can only call phone numbers from the United States. That is a United Kingdom number."),
        (
            "1-800-555-1212",
            "That is a toll-free number, which we can't call back. Please type the number of the phone you have "
            "with you.",
        ),
        (
            "1-900-555-1212",
            "That is a premium-rate number, which we don't call. "
            "Please type the number of the phone you have with you.",
        ),
        ("+1 700 555 1212", "That isn't a working phone number. Please check the area code and the number."),
    ],
)
def test_a_number_we_cannot_call_is_explained_and_what_was_typed_is_kept(client, targets, phone, sentence):
    response = post(client, phone=phone, location="01003", name="Ana", town="Lowell")
    html = page(response)

    assert response.status_code == 422 and nothing_stored()
    field = html.element("input", id="phone")
    assert (field["value"], field["aria-invalid"], field["aria-describedby"]) == (
        phone,
        "true",
        "phone-hint phone-error",
    )
    assert html.text("phone-error") == f"Error: {sentence}"
    assert html.text("error-summary") == f"Please fix this to place your call {sentence}"
    summary = html.element("div", id="error-summary")
    assert ("data-focus-on-load" in summary, summary["tabindex"]) == (True, "-1")
    assert [html.element("input", id=f)["value"] for f in ("location", "name", "town")] == ["01003", "Ana", "Lowell"]


def test_every_bad_field_is_reported_at_once(client, targets):
    html = page(post(client, phone="617", location="12", name="N" * 81))

    assert [a["href"] for a in html.all("a") if (a["href"] or "").startswith("#") and a["href"] != "#main"] == [
        "#phone",
        "#location",
        "#name",
    ]
    assert html.text("name-error") == "Error: Please keep your name under 80 characters."


@pytest.mark.parametrize(
    "status, heading", [(CampaignStatus.ended, "This campaign is over"), (CampaignStatus.paused, "Calls are paused")]
)
def test_a_closed_campaign_has_no_form_and_refuses_calls(client, campaign, targets, status, heading):
    campaign.status = status
    db.session.commit()

    html = page(client.get(FORM_URL))
    assert html.text("action-heading") == heading
    assert html.all("form") == [] and html.all("p", class_="countdown") == []
    refused = post(client)
    assert refused.status_code == 409 and nothing_stored()
    assert page(refused).text("action-heading") == heading


def test_after_the_deadline_the_page_says_the_campaign_is_over(client, campaign, targets):
    campaign.ends_at = datetime(2020, 1, 1, tzinfo=UTC)
    db.session.commit()

    html = page(client.get("/"))
    assert html.text("action-heading") == "This campaign is over"
    assert html.all("form") == []
    assert post(client).status_code == 409 and nothing_stored()


def test_pages_have_no_inline_script_style_or_handlers_for_the_coming_csp(client, targets):
    pages = [
        client.get("/"),
        post(client, location="01001"),
        post(client, phone="1"),
        client.get(post(client).headers["Location"]),
    ]

    for response in pages:
        html = response.get_data(as_text=True)
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
        assert re.findall(r"\sstyle=", html) == [] and re.findall(r"<style", html) == []
        assert re.findall(r"\son[a-z]+=", html) == []


def test_static_files_have_versioned_urls_and_are_cached_for_a_year(client, campaign):
    html = page(client.get("/"))
    css = html.element("link", rel="stylesheet")["href"]
    js = html.all("script")[0]["src"]
    assert css is not None and js is not None

    assert re.fullmatch(r"/static/app\.css\?v=[0-9a-f]{12}", css) and re.fullmatch(
        r"/static/app\.js\?v=[0-9a-f]{12}", js
    )
    response = client.get(css)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "public, max-age=31536000"
    response.close()


@pytest.mark.parametrize("typed, script_town", [("", "Amherst"), ("Pelham", "Pelham")])
def test_the_script_names_the_town_of_the_zip_unless_the_supporter_typed_one(client, targets, typed, script_town):
    response = post(client, location="01003", town=typed)

    assert response.status_code == 303 and only_call().supporter_town == script_town
    script = page(client.get(response.headers["Location"])).visible_text()
    assert f"I live in {script_town}." in script and "[your town]" not in script


def test_link_previews_carry_the_pages_address_and_an_image(client, campaign):
    html = page(client.get("/"))

    def meta(**attrs):
        return html.element("meta", **attrs)["content"]

    base = "https://patchthrough.example.org"  # PUBLIC_BASE_URL: previews never carry an internal host name
    assert meta(property="og:url") == base + "/c/protect-immigrant-families"
    assert meta(name="twitter:card") == "summary_large_image"
    image = meta(property="og:image")
    assert image == base + "/c/protect-immigrant-families/share.png"  # the campaign's own card
    with client.get(image.removeprefix(base)) as response:
        assert response.status_code == 200 and response.mimetype == "image/png" and response.headers["ETag"]
        png = response.get_data()
        etag = response.headers["ETag"]
    assert client.get(image.removeprefix(base), headers={"If-None-Match": etag}).status_code == 304
    # A PNG's IHDR holds its width and height: the 1200×630 the link previews want.
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[16:24] == (1200).to_bytes(4, "big") + (630).to_bytes(4, "big")
    assert meta(property="og:image:alt")


def test_every_page_has_a_favicon_and_the_old_address_finds_it(client, campaign):
    icon = page(client.get("/")).element("link", rel="icon")
    with client.get(icon["href"]) as response:
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    old = client.get("/favicon.ico")
    assert old.status_code == 301 and old.headers["Location"].startswith("/static/favicon.svg")


def test_the_page_says_who_runs_the_campaign_who_pays_and_how_to_reach_them(client, campaign):
    campaign.organisation, campaign.paid_for_by = "Families First MA", "Paid for by Families First MA."
    campaign.contact = "hello@families.example.org"
    db.session.commit()
    html = page(client.get("/"))

    footer = html.text("site-footer")
    assert "A campaign by Families First MA." in footer and "Paid for by Families First MA." in footer
    assert html.element("a", href="mailto:hello@families.example.org") is not None
    privacy = html.element("a", id="privacy-link")["href"]
    assert privacy == "/privacy"
    text = page(client.get(privacy)).visible_text()
    # Generated from what the service really keeps.
    assert "encrypted" in text and "keyed hash" in text and "never appears in a link" in text
    assert "Families First MA" in text


def test_a_campaign_with_its_own_privacy_page_links_to_it(client, campaign):
    campaign.privacy_url = "https://families.example.org/privacy"
    db.session.commit()
    assert page(client.get("/")).element("a", id="privacy-link")["href"] == "https://families.example.org/privacy"


def test_before_any_call_the_page_shows_no_count(client, campaign):
    assert "calls made so far" not in page(client.get("/")).visible_text()  # never "0 calls"


def test_the_page_counts_the_calls_made_so_far_and_remembers_it_for_a_minute(client, campaign, targets):
    for n in range(4):
        assert post(client, phone=f"+1617555{n:04d}").status_code == 303
    calls = db.session.scalars(select(Call).order_by(Call.id)).all()
    for call in calls[:3]:
        call.status = CallStatus.completed
    db.session.commit()
    assert "3 calls made so far" in page(client.get("/")).visible_text()

    calls[3].status = CallStatus.completed
    db.session.commit()
    assert "3 calls made so far" in page(client.get("/")).visible_text()  # cached: no count per page view
