"""The supporter's journey on a 390×844 phone and a desktop: the form first, no dead ends, an honest page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PHONE = "(617) 555-0123"
PHONE_SCREEN = (390, 844)


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def submit(page) -> None:
    with page.expect_navigation():
        page.click("[data-submit]")


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
