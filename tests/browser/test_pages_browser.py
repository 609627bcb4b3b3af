"""The supporter's pages in a real browser: the form, the picker, errors, the call page, keyboard and small screens."""

from __future__ import annotations

import re

import pytest

from tests.support.browser import press_in_preview

pytestmark = pytest.mark.browser

PHONE = "(617) 555-0123"


def fill_form(page, phone: str, location: str, name: str = "") -> None:
    page.fill("#phone", phone)
    page.fill("#location", location)
    if name:
        open_script_fields(page)
        page.fill("#name", name)


def open_script_fields(page) -> None:
    """Unfold the optional name and town (folded so the form fits a phone's first screen)."""
    if page.get_attribute("details.optional", "open") is None:
        page.click("details.optional summary")


def submit_and_wait(page) -> None:
    with page.expect_navigation():
        page.click("button[type=submit]")


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_a_single_district_zip_reaches_the_call_page_with_the_right_legislators(server, open_page):
    page = open_page()
    page.goto(server["url"] + "/")
    fill_form(page, PHONE, "01003", "Ana")
    submit_and_wait(page)

    assert re.fullmatch(re.escape(server["url"]) + r"/calls/[A-Za-z0-9_-]{24}", page.url)
    assert page.inner_text("h1") == "Your call is ready to preview"  # no phone account on this server
    assert page.locator(".target-name").all_inner_texts() == [
        "State Senator Jo Comerford",
        "State Representative Mindy Domb",
    ]
    assert page.locator(".script-card").inner_text().startswith("Hi, my name is Ana and I live in Amherst.")
    assert page.get_attribute("#call-status", "data-state") == "queued"
    assert "5550123" not in server["log"].read_text() and "555-0123" not in server["log"].read_text()


def test_a_whole_call_can_be_walked_in_the_preview(server, open_page, artifacts):
    page = open_page()
    page.goto(server["url"] + "/")
    fill_form(page, PHONE, "01003", name="Ana")
    submit_and_wait(page)
    with page.expect_navigation():
        page.click("text=Hear a preview of the call in your browser")
    assert page.inner_text(".badge") == "Preview — no phone will ring"
    with page.expect_navigation():
        page.click("text=Start the preview")
    assert "Thank you for standing up for immigrant families" in page.inner_text(".transcript")
    # The representative's State House line is busy, then their district office's.
    for control in ["1", "They answer and you talk", "1", "1", "The line is busy", "The line is busy"]:
        press_in_preview(page, control)
    page.screenshot(path=str(artifacts / "preview-390.png"), full_page=True)
    while page.is_visible("text=Say nothing"):
        press_in_preview(page, "Say nothing")
    transcript = page.inner_text(".transcript")
    assert "connected for 60 seconds" in transcript and "the line was busy" in transcript
    assert "Trying their district office." in transcript
    assert "The call is over." in page.inner_text("#controls")
    with page.expect_navigation():
        page.click("text=Back to your call page")
    page.wait_for_selector("#call-status[data-state='done']", timeout=10000)


def test_a_split_zip_is_settled_through_the_picker(server, open_page):
    page = open_page()
    page.goto(server["url"] + "/")
    fill_form(page, PHONE, "02215")
    submit_and_wait(page)

    assert page.evaluate("document.activeElement.id") == "picker"
    assert page.input_value("#phone") == PHONE and page.input_value("#location") == "02215"
    page.get_by_label("Will Brownsberger").check()
    page.get_by_label("Jay Livingstone").check()
    submit_and_wait(page)

    assert page.locator(".target-name").all_inner_texts() == [
        "State Senator Will Brownsberger",
        "State Representative Jay Livingstone",
    ]


@pytest.mark.parametrize(
    "phone, message, checked_by",
    [
        ("617 555", "That number is too short. Please type all ten digits, with the area code.", "browser"),
        (
            "1-800-555-1212",
            "That is a toll-free number, which we can't call back. Please type the number of the phone you have "
            "with you.",
            "server",
        ),
        (
            "+44 20 7946 0958",
            "We can only call phone numbers from the United States. That is a United Kingdom number.",
            "server",
        ),
    ],
)
def test_a_bad_number_is_explained_and_focus_moves_to_the_summary(server, open_page, phone, message, checked_by):
    page = open_page()
    page.goto(server["url"] + "/")
    fill_form(page, phone, "01003")
    if checked_by == "server":
        submit_and_wait(page)
    else:
        page.click("button[type=submit]")
        assert page.url == server["url"] + "/"  # the browser stopped it; nothing was sent

    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.inner_text("#error-summary li") == message
    assert " ".join(page.text_content("#phone-error").split()) == f"Error: {message}"
    assert page.get_attribute("#phone", "aria-invalid") == "true"
    assert page.input_value("#phone") == phone
    page.click("#error-summary a")
    assert page.evaluate("document.activeElement.id") == "phone"


def test_the_pages_fit_a_320_pixel_screen(server, open_page):
    page = open_page(320, 640)
    page.goto(server["url"] + "/")
    assert no_horizontal_scroll(page)
    fill_form(page, PHONE, "02215")
    submit_and_wait(page)
    assert no_horizontal_scroll(page)
    page.get_by_label("Will Brownsberger").check()
    page.get_by_label("Jay Livingstone").check()
    submit_and_wait(page)
    assert no_horizontal_scroll(page)


def test_the_form_can_be_sent_with_the_keyboard_alone(server, open_page):
    page = open_page()
    page.goto(server["url"] + "/")
    stops = []
    for _ in range(9):
        page.keyboard.press("Tab")
        stops.append(
            page.evaluate(
                "document.activeElement.id || document.activeElement.className || document.activeElement.tagName"
            )
        )
        if stops[-1] == "phone":
            page.keyboard.type(PHONE)
            assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
        elif stops[-1] == "location":
            page.keyboard.type("01003")

    # The language switch comes first (a reader who needs another language finds it before the form); the
    # optional script fields are folded: one stop to open them, then Call now.
    languages = ["A", "A", "A"]
    assert stops == ["skip-link", "brand", *languages, "phone", "location", "SUMMARY", "button button-primary"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/calls/" in page.url


def test_the_countdown_runs_in_the_supporters_time_zone(server, open_page):
    page = open_page()
    page.goto(server["url"] + "/")

    countdown = page.inner_text(".countdown")
    assert re.match(r"\d+ days?, \d+ hours? left to call\.", countdown)
    # This browser is in Los Angeles; the campaign's deadline is midnight in Boston.
    assert countdown.endswith("That's Tuesday, July 31 at 9:00 PM PDT where you are.")


def test_screenshots_at_phone_and_desktop_widths(server, open_page, artifacts):
    for width in (390, 1280):
        page = open_page(width, 900)
        page.goto(server["url"] + "/")
        page.screenshot(path=str(artifacts / f"campaign-{width}.png"), full_page=True)
        fill_form(page, "1-900-555-1212", "02215")
        submit_and_wait(page)
        page.screenshot(path=str(artifacts / f"errors-{width}.png"), full_page=True)
        page.fill("#phone", PHONE)
        submit_and_wait(page)
        page.screenshot(path=str(artifacts / f"picker-{width}.png"), full_page=True)
        page.get_by_label("Cynthia Creem").check()
        page.get_by_label("Tommy Vitolo").check()
        open_script_fields(page)
        page.fill("#name", "Ana")
        page.fill("#town", "Brookline")
        submit_and_wait(page)
        page.screenshot(path=str(artifacts / f"call-{width}.png"), full_page=True)
        assert no_horizontal_scroll(page)


def test_calling_the_campaigns_number_can_be_walked_in_the_preview(server, open_page, artifacts):
    page = open_page()
    page.goto(server["url"] + "/")
    with page.expect_navigation():
        page.click("text=preview calling")
    assert page.inner_text("h1") == "What calling (617) 539-7340 sounds like"
    with page.expect_navigation():
        page.click("text=Start the preview")
    # The demo campaign's call is written in Spanish and Portuguese too: they are offered first.
    offers = page.locator(".transcript li.said").all_inner_texts()[-2:]
    assert [" ".join(said.split()) for said in offers] == [
        "VOICE Para español, oprima 2.",
        "VOICE Para português, digite 3.",
    ]
    press_in_preview(page, "Say nothing")
    assert "Please enter your five-digit ZIP code." in page.inner_text(".transcript")
    page.fill("#typed", "02215")
    press_in_preview(page, "Enter")
    transcript = page.inner_text(".transcript")
    assert "If you don't know, press 0." in transcript  # a split ZIP: the candidates, read by name
    page.screenshot(path=str(artifacts / "call-in-preview-390.png"), full_page=True)
    for _chamber in range(2):  # 02215 is split in both chambers: a pick for each
        press_in_preview(page, "1")
    assert "When you're ready, press 1 to go on." in page.inner_text(".transcript")
    assert "5550123" not in server["log"].read_text()
