"""Chromium enforces our Content-Security-Policy on the real pages and reports nothing it had to block."""

from __future__ import annotations

import pytest

from tests.support.browser import press_in_preview

pytestmark = pytest.mark.browser


def test_the_pages_satisfy_the_content_security_policy(server, open_page):
    page = open_page(1280, 900)
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    response = page.goto(server["url"] + "/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.fill("#phone", "(617) 555-0142")
    page.fill("#location", "01003")
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "/calls/" in page.url
    page.wait_for_timeout(1500)  # the call page's script polls the status JSON
    preview = page.get_by_role("link", name="preview", exact=False)
    if preview.count():
        with page.expect_navigation():
            preview.first.click()
        with page.expect_navigation():
            page.get_by_role("button", name="Start the preview").click()
        press_in_preview(page, "1")  # sent by the page's script, under the same policy
    assert blocked == []
