"""Steps the browser tests share."""

from __future__ import annotations


def press_in_preview(page, control: str) -> None:
    """Press a key ("1") or a control ("The line is busy") in the preview and wait for its transcript to grow."""
    before = page.locator(".transcript > li").count()
    if len(control) == 1:
        page.click(f"button.key:text-is('{control}')")
    else:
        page.click(f"button:text-is('{control}')")
    # A locator wait, not a script: the page's Content-Security-Policy forbids evaluating strings.
    page.locator(".transcript > li").nth(before).wait_for(timeout=10000)
