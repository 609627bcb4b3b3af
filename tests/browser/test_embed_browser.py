"""The call form embedded in another site's page: that site's strict CSP, third-party cookies blocked, a
preview call placed inside the frame, the frame sized to its content, and a site not in the list refused."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from security.embedding import make_token
from tests.browser.conftest import CHROMIUM
from tests.support.axe import axe_violations
from tests.support.browser import press_in_preview
from tests.support.pages import DEMO
from tests.support.served_app import run_flask

pytestmark = pytest.mark.browser

# Another site, on another loopback address: a different origin and a different site from the app's 127.0.0.1.
HOST_IP = "127.0.0.2"
STRANGER_IP = "127.0.0.3"
ORGANISER = "organiser@example.org"
PASSWORD = "a long organiser password"
INITIAL_HEIGHT = 640  # embed.js's 40rem before the frame says its height


class HostSite:
    """An organisation's action page on its own origin, with its own strict Content-Security-Policy."""

    def __init__(self, ip: str, app_url: str) -> None:
        self.app_url = app_url
        pages: dict[str, str] = {}
        self.pages = pages
        policy = (
            f"default-src 'none'; script-src {app_url}; frame-src {app_url}; style-src 'self'; img-src 'self'; "
            "base-uri 'none'; form-action 'none'"
        )

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = pages.get(self.path.split("?")[0])
                if body is None:
                    self.send_error(404)
                    return
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Security-Policy", policy)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer((ip, 0), Handler)
        self.url = f"http://{ip}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> HostSite:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def action_page(body: str, head: str = "") -> str:
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Act now</title>"
        f"{head}</head><body><main><h1>Our action page</h1><p>Please call today.</p>{body}"
        "<p id='after'>Thank you from the organisers.</p></main></body></html>"
    )


@pytest.fixture(scope="module")
def sites(server) -> Iterator[tuple[HostSite, HostSite]]:
    """The campaign's site (listed) and a stranger's (not listed), both serving pages that embed the form."""
    with HostSite(HOST_IP, server["url"]) as host, HostSite(STRANGER_IP, server["url"]) as stranger:
        with sqlite3.connect(server["database"]) as db:
            db.execute("UPDATE campaigns SET embed_origins = ? WHERE slug = ?", (json.dumps([host.url]), DEMO))
        snippet = f'<script src="{server["url"]}/embed.js" data-campaign="{DEMO}" async></script>'
        host.pages["/action"] = action_page(snippet)
        stranger.pages["/action"] = action_page(snippet)
        # A stranger copying the frame by hand and claiming to be the listed site (no Referer to give it away).
        stranger.pages["/copied"] = action_page(
            f'<iframe title="Call form" src="{server["url"]}/embed/c/{DEMO}?parent={host.url}"></iframe>',
            head="<meta name='referrer' content='no-referrer'>",
        )
        yield host, stranger


@pytest.fixture(scope="module")
def strict_browser():
    """Chromium blocking third-party cookies, as a growing share of supporters' browsers do."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--test-third-party-cookie-phaseout",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def host_page(strict_browser):
    contexts = []

    def opener(width: int = 1024, height: int = 900):
        context = strict_browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
        contexts.append(context)
        page = context.new_page()
        return page

    yield opener
    for context in contexts:
        context.close()


def embedded_frame(page, app_url: str):
    """The frame showing our form (waits for it), as Playwright sees it."""
    page.wait_for_selector("iframe.patchthrough-embed")
    for _ in range(100):
        frames = [f for f in page.frames if f.url.startswith(app_url + "/embed/")]
        if frames:
            frames[0].wait_for_load_state()
            return frames[0]
        page.wait_for_timeout(100)
    raise AssertionError(f"no embedded frame; frames: {[f.url for f in page.frames]}")


def wait_for_fit(page, frame) -> int:
    """Wait until the iframe is exactly as tall as the page inside it; returns that height."""
    for _ in range(100):
        inside = frame.evaluate("Math.ceil(document.body.getBoundingClientRect().height)")
        outside = page.locator("iframe.patchthrough-embed").bounding_box()["height"]
        if abs(inside - outside) <= 1:
            return int(outside)
        page.wait_for_timeout(100)
    raise AssertionError(f"the frame is {outside}px tall around {inside}px of content")


def test_a_supporter_calls_from_the_form_embedded_in_a_strict_host_page(server, sites, host_page, artifacts):
    host, _ = sites
    page = host_page()
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(host.url + "/action")
    frame = embedded_frame(page, server["url"])
    frame.wait_for_selector("#phone")

    # Third-party cookies are blocked in the frame (the same cookie is kept on our own pages): the form needs none.
    probe = "document.cookie = 'probe=1; SameSite=None; Secure'; document.cookie"
    assert frame.evaluate(probe) == ""
    first_party = host_page()
    first_party.goto(server["url"] + "/privacy")
    assert first_party.evaluate(probe) == "probe=1"
    form_height = wait_for_fit(page, frame)
    assert form_height != INITIAL_HEIGHT
    # The host's own text flows on below the frame: nothing overlaps or is cut.
    assert page.locator("#after").bounding_box()["y"] >= page.locator("iframe").bounding_box()["y"] + form_height
    page.screenshot(path=str(artifacts / "embed-form-1024.png"), full_page=True)
    assert axe_violations(frame) == []

    # A mistake grows the form (the error summary); the frame follows.
    frame.fill("#phone", "1-900-555-1212")
    frame.fill("#location", "01003")
    with frame.expect_navigation():
        frame.click("[data-submit]")
    assert frame.inner_text("#error-summary")
    assert wait_for_fit(page, frame) > form_height
    assert axe_violations(frame) == []

    frame.fill("#phone", "(617) 555-0188")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")  # down at the button
    assert page.locator("iframe.patchthrough-embed").bounding_box()["y"] < 0
    with frame.expect_navigation():
        frame.click("[data-submit]")
    assert "/embed/calls/" in frame.url
    assert frame.inner_text("h1") == "Your call is ready to preview"
    wait_for_fit(page, frame)
    # The host page had scrolled down to the button; the call page starts in view, not above it.
    # (Polled from here: the host page's policy forbids the string evaluation wait_for_function needs.)
    for _ in range(50):
        if page.locator("iframe.patchthrough-embed").bounding_box()["y"] > -1:  # to the (sub)pixel
            break
        page.wait_for_timeout(100)
    assert page.locator("iframe.patchthrough-embed").bounding_box()["y"] > -1

    # The preview plays inside the frame, with no cookie to carry the form's token.
    with frame.expect_navigation():
        frame.get_by_role("link", name="Hear a preview of the call in your browser").click()
    assert frame.url.endswith("/preview")
    with frame.expect_navigation():
        frame.click("text=Start the preview")
    for control in ["1", "They answer and you talk", "1", "1", "The line is busy", "The line is busy"]:
        press_in_preview(frame, control)
    while frame.is_visible("text=Say nothing"):
        press_in_preview(frame, "Say nothing")
    assert frame.is_visible("text=The call is over.")
    with frame.expect_navigation():
        frame.click("text=Back to your call page")
    frame.wait_for_selector("#call-status[data-view='done']")
    assert frame.inner_text("h1") == "Your call is done"
    wait_for_fit(page, frame)
    # A full-page capture leaves a cross-site frame blank below the fold unless the page is at its top.
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts / "embed-call-done-1024.png"), full_page=True)
    assert axe_violations(frame) == []

    assert page.context.cookies(server["url"]) == []  # nothing of ours was kept
    assert blocked == []  # neither the host's policy nor ours refused anything


def test_on_a_phone_the_embedded_form_fits_the_width(server, sites, host_page, artifacts):
    host, _ = sites
    page = host_page(390, 844)
    page.goto(host.url + "/action")
    frame = embedded_frame(page, server["url"])
    frame.wait_for_selector("#phone")
    wait_for_fit(page, frame)
    assert frame.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The headline sits above the form, not under it (the campaign page's overlap is not for the frame).
    headline, card = frame.locator(".embed-headline").bounding_box(), frame.locator(".form-card").bounding_box()
    assert headline["y"] + headline["height"] <= card["y"]
    page.screenshot(path=str(artifacts / "embed-form-390.png"), full_page=True)


def test_an_expired_form_in_the_frame_shows_its_notice_and_the_frame_fits_it(server, sites, host_page, artifacts):
    host, _ = sites
    page = host_page(390, 844)
    page.goto(host.url + "/action")
    frame = embedded_frame(page, server["url"])
    frame.wait_for_selector("#phone")
    form_height = wait_for_fit(page, frame)
    # The form was left open past its token's two hours (the token as the server made it then).
    with sqlite3.connect(server["database"]) as db:
        (campaign_id,) = db.execute("SELECT id FROM campaigns WHERE slug = ?", (DEMO,)).fetchone()
    stale = make_token(server["env"]["SECRET_KEY"], "form", str(campaign_id), host.url, time.time() - 3 * 3600)
    frame.locator("input[name='csrf_token']").evaluate("(input, token) => { input.value = token; }", stale)
    frame.fill("#phone", "(617) 555-0177")
    frame.fill("#location", "01003")
    with frame.expect_navigation():
        frame.click("[data-submit]")
    assert frame.inner_text("h1") == "This form has expired"
    # The frame follows the notice down from the form's height, and nothing of it is cut.
    notice_height = wait_for_fit(page, frame)
    assert notice_height < form_height
    page.screenshot(path=str(artifacts / "embed-form-expired-390.png"), full_page=True)


def test_a_site_not_in_the_list_cannot_frame_the_form(server, sites, host_page):
    _, stranger = sites
    served: list[int] = []
    page = host_page()
    page.on("response", lambda r: served.append(r.status) if "/embed/c/" in r.url else None)

    page.goto(stranger.url + "/action")  # embed.js, honestly naming the stranger: refused
    page.wait_for_selector("iframe.patchthrough-embed")
    page.wait_for_timeout(1000)
    assert served and served[-1] == 403
    assert not any(f.url.startswith(server["url"]) and f.query_selector("#phone") for f in page.frames[1:])

    served.clear()
    page.goto(stranger.url + "/copied")  # a copied frame claiming the listed site: served, but the browser refuses it
    page.wait_for_timeout(1500)
    assert served == [200]
    frames = page.frames[1:]
    assert len(frames) == 1
    assert not frames[0].url.startswith(server["url"])  # Chromium put its error page there instead
    assert frames[0].query_selector("#phone") is None


def test_the_console_shows_the_snippet_and_a_live_preview_of_the_embedded_form(server, sites, host_page, artifacts):
    run_flask(server, "users", "create", ORGANISER, "--role", "organiser", "--password-stdin", stdin=PASSWORD + "\n")
    page = host_page(1280, 900)  # the same browser: one Playwright at a time (the console is first-party)
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(server["url"] + f"/console/campaigns/{DEMO}/edit")
    page.fill("#email", ORGANISER)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button:text-is('Sign in')")
    assert page.input_value("#embed-snippet") == (
        f'<script src="{server["url"]}/embed.js" data-campaign="{DEMO}" async></script>'
    )
    page.locator("#embed").scroll_into_view_if_needed()
    frame = embedded_frame(page, server["url"])
    frame.wait_for_selector("#phone")
    wait_for_fit(page, frame)
    page.locator("#embed").screenshot(path=str(artifacts / "embed-console-preview-1280.png"))
    assert blocked == []
