"""The supporter's journey on a 390×844 phone and a desktop: the form first, no dead ends, an honest page."""

from __future__ import annotations

import pytest

from tests.support.axe import axe_violations
from tests.support.browser import press_in_preview
from tests.support.pixels import png_pixels

pytestmark = pytest.mark.browser

PHONE = "(617) 555-0123"
PHONE_SCREEN = (390, 844)


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def submit(page) -> None:
    with page.expect_navigation():
        page.click("[data-submit]")


def open_and_send(page, server, location: str) -> None:
    """The campaign page, the form filled with a good number and `location`, and Call now."""
    page.goto(server["url"] + "/")
    page.fill("#phone", PHONE)
    page.fill("#location", location)
    submit(page)


def test_on_a_phone_the_form_and_call_now_are_on_the_first_screen(server, open_page, artifacts):
    page = open_page(*PHONE_SCREEN)
    page.goto(server["url"] + "/")
    page.screenshot(path=str(artifacts / "journey-landing-390.png"))

    assert page.locator("h1").bounding_box()["y"] < box(page, "#phone")["y"]
    phone = box(page, "#phone")
    assert phone["y"] + phone["height"] < PHONE_SCREEN[1] * 2 / 3
    call_now = box(page, "[data-submit]")
    assert call_now["y"] + call_now["height"] <= PHONE_SCREEN[1]
    # The rest of the story follows the form.
    assert box(page, ".lede")["y"] > call_now["y"]


def test_on_a_desktop_the_story_and_the_form_sit_side_by_side(server, open_page, artifacts):
    page = open_page(1280, 900)
    page.goto(server["url"] + "/")
    page.screenshot(path=str(artifacts / "journey-landing-1280.png"))

    lede, form = box(page, ".lede"), box(page, ".form-card")
    assert lede["x"] + lede["width"] <= form["x"]
    assert lede["y"] < 900 and box(page, "[data-submit]")["y"] < 900


def walk_the_preview(page, controls: list[str]) -> None:
    with page.expect_navigation():
        page.click("text=Start the preview")
    for control in controls:
        press_in_preview(page, control)
    while page.is_visible("text=Say nothing"):
        press_in_preview(page, "Say nothing")


@pytest.mark.parametrize("width, height", [PHONE_SCREEN, (1280, 900)])
def test_the_call_page_changes_as_a_whole_and_ends_saying_who_was_not_reached(
    server, open_page, artifacts, width, height
):
    page = open_page(width, height)
    open_and_send(page, server, "01003")
    page.screenshot(path=str(artifacts / f"journey-call-preview-{width}.png"), full_page=True)
    assert "Getting ready to call you" not in page.inner_text("main")
    assert page.inner_text("[data-status-text]").startswith("Nobody will ring")

    # The preview plays in another tab; this one follows without a reload.
    other = page.context.new_page()
    other.goto(page.url + "/preview")
    walk_the_preview(other, ["1", "They answer and you talk", "1", "1", "The line is busy", "The line is busy"])
    page.wait_for_selector("#call-status[data-view='done']", timeout=10000)

    page.screenshot(path=str(artifacts / f"journey-call-done-mixed-{width}.png"), full_page=True)
    assert page.inner_text("h1") == "Your call is done"
    assert page.inner_text("#call-lede") == (
        "You reached State Senator Jo Comerford. State Representative Mindy Domb's office didn't answer: "
        "you can call them yourself now."
    )
    assert page.locator("a.still-to-call").all_inner_texts() == ["Call State Representative Mindy Domb: (617) 722-2060"]
    assert page.is_visible("section.thanks")
    # No empty cell in the share grid where a browser lacks the native share sheet.
    assert page.locator(".share > li:visible").count() == page.locator(".share .button:visible").count()
    # A phone link says whose office it rings.
    assert page.get_by_role("link", name="Call State Senator Jo Comerford: (617) 722-1532").count() == 1
    assert "nobody will ring" not in page.inner_text("main")
    assert "Who you'll be connected to" not in page.inner_text("main")


@pytest.mark.parametrize("width, height", [PHONE_SCREEN, (1280, 900)])
def test_the_district_picker_opens_with_its_question_in_view_and_a_way_forward(
    server, open_page, artifacts, width, height
):
    page = open_page(width, height)
    open_and_send(page, server, "02215")
    page.screenshot(path=str(artifacts / f"journey-picker-{width}.png"))

    assert page.evaluate("document.activeElement.id") == "picker"
    title = box(page, "#picker-title")
    assert title["y"] >= 0 and title["y"] + title["height"] <= height
    assert page.get_attribute("#find-legislator", "href") == "https://malegislature.gov/Search/FindMyLegislator"

    submit(page)  # Call now without choosing: each question says whose district it wants
    assert (
        page.inner_text("#error-summary ul")
        == "Please choose your Senate district.\nPlease choose your House district."
    )


@pytest.mark.parametrize("width, height", [PHONE_SCREEN, (1280, 900)])
def test_axe_finds_no_violations_on_any_page_state(server, open_page, width, height):
    page = open_page(width, height)
    seen: dict[str, list[str]] = {}

    page.goto(server["url"] + "/")
    seen["campaign"] = axe_violations(page)
    page.fill("#phone", "1-900-555-1212")
    page.fill("#location", "02215")
    submit(page)
    seen["errors and picker"] = axe_violations(page)
    page.click("details.optional summary")
    seen["script fields open"] = axe_violations(page)

    open_and_send(page, server, "01003")
    seen["call page, preview offered"] = axe_violations(page)
    call_url = page.url
    other = page.context.new_page()
    other.goto(call_url + "/preview")
    seen["preview"] = axe_violations(other)
    walk_the_preview(other, ["1", "They answer and you talk", "1", "1", "The line is busy", "The line is busy"])
    seen["preview over"] = axe_violations(other)
    page.wait_for_selector("#call-status[data-view='done']", timeout=10000)
    seen["call page, ended live"] = axe_violations(page)
    page.goto(call_url)
    seen["call page, ended"] = axe_violations(page)

    page.goto(server["url"] + "/no-such-page")
    seen["not found"] = axe_violations(page)
    page.goto(server["url"] + "/privacy")
    seen["privacy"] = axe_violations(page)
    page.goto(server["url"] + "/")
    page.evaluate("document.querySelector('input[name=csrf_token]').value = 'stale'")
    page.fill("#phone", PHONE)
    page.fill("#location", "01003")
    submit(page)
    assert page.inner_text("h1") == "This form has expired"
    seen["expired form"] = axe_violations(page)

    assert {state: found for state, found in seen.items() if found} == {}


def test_the_axe_check_does_catch_a_violation(server, open_page):
    page = open_page()
    page.goto(server["url"] + "/")
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")
    assert any(found.startswith("image-alt:") for found in axe_violations(page))


def test_on_a_desktop_nothing_paints_over_the_form(server, open_page):
    page = open_page(1280, 900)
    page.goto(server["url"] + "/")
    for selector in ("#phone", "#location"):
        found = box(page, selector)
        # The middle of an empty field is painted white, not covered by the navy band behind the story.
        middle = {"x": found["x"] + 20, "y": found["y"] + found["height"] / 2 - 5, "width": 40, "height": 10}
        colours = set(png_pixels(page.screenshot(clip=middle)))
        assert colours == {(255, 255, 255)}, f"{selector} is painted over: {sorted(colours)[:3]}"


def test_the_preview_speaks_keeps_focus_and_updates_in_place(server, open_page, artifacts):
    page = open_page(*PHONE_SCREEN)
    # Record what the page asks the browser to say (headless Chromium has no voices to hear).
    page.add_init_script("window.spoken = []; speechSynthesis.speak = (u) => window.spoken.push(u.text);")
    open_and_send(page, server, "01003")
    page.goto(page.url + "/preview")
    with page.expect_navigation():
        page.click("text=Start the preview")
    preview_url = page.url

    page.focus("button.key:text-is('2')")
    press_in_preview(page, "2")  # hear the talking points again: the keypad stays, and so does focus
    assert page.url == preview_url  # no page load
    assert page.evaluate("document.activeElement.textContent") == "2"
    assert any(said.startswith("Here's what to say.") for said in page.evaluate("window.spoken"))
    page.screenshot(path=str(artifacts / "journey-preview-390.png"), full_page=True)

    page.click("[data-preview-mute]")
    assert page.get_attribute("[data-preview-mute]", "aria-pressed") == "true"
    spoken = len(page.evaluate("window.spoken"))
    press_in_preview(page, "1")  # on to the senator: the dial choices come, focus moves to the first
    assert page.evaluate("window.spoken").__len__() == spoken  # muted
    assert page.evaluate("document.activeElement.textContent") == "They answer and you talk"
    assert axe_violations(page) == []
