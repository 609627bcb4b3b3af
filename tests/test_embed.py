"""The embedded call form: who may frame it, its cookie-free tokens, and the same rules as the campaign page."""

from __future__ import annotations

import html
import re
import time

import pytest
from sqlalchemy import select

from campaigns.files import campaign_yaml
from campaigns.schema import CampaignInvalid, check_campaign, embed_origins
from console.campaign_form import form_values
from extensions import db
from models import Block, BlockKind, Call, Role, utcnow
from security.embedding import (
    FORM_TOKEN_SECONDS,
    came_from,
    expired_token_parent,
    make_token,
    may_frame,
    origin_of,
    read_token,
)
from tests.support.console import signed_in_client
from tests.support.factories import make_campaign, vault
from tests.support.pages import DEMO, GOOD_PHONE, count, load_demo_campaign, nothing_stored, seed_geography
from tests.support.settings import TEST_CONFIG

HOST = "https://action.example.org"
OURS = "https://patchthrough.example.org"  # PUBLIC_BASE_URL in the tests
FORM_URL = f"/embed/c/{DEMO}"
SECRET = "a-secret"
CAMPAIGN_FILE = {
    "slug": "families",
    "title": "Families",
    "state": "MA",
    "headline": "Call now",
    "greeting": "Hello.",
    "talking_points": "Ask them.",
    "target_chambers": ["upper"],
}


def directives(csp: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in csp.split("; ")}


@pytest.fixture
def campaign(app, runner):
    found = load_demo_campaign(runner)
    found.embed_origins = [HOST, "http://localhost:8080"]
    seed_geography()
    db.session.commit()
    return found


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def form_token(response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))
    assert found, "the form carries no token"
    return found.group(1)


def open_form(client, parent: str = HOST, **headers):
    return client.get(FORM_URL, query_string={"parent": parent}, headers={"Referer": parent + "/action", **headers})


def send(client, token: str, origin: str = OURS, ip: str = "198.51.100.7", **fields):
    data = {"phone": GOOD_PHONE, "location": "01003", "csrf_token": token} | fields
    return client.post(FORM_URL, data=data, headers={"Origin": origin, "X-Forwarded-For": ip})


# --- tokens and origins, no app ---------------------------------------------------------------


def test_a_token_reads_back_for_its_kind_and_subject_only():
    token = make_token(SECRET, "form", "7", HOST, now=1_000_000)
    read = read_token(SECRET, token, "form", "7", now=1_000_060)
    assert read is not None and read.parent == HOST
    assert read_token(SECRET, token, "form", "8", now=1_000_060) is None  # another campaign
    assert read_token(SECRET, token, "call", "7", now=1_000_060) is None  # not a call page's token
    assert read_token("another-secret", token, "form", "7", now=1_000_060) is None


def test_a_token_expires_and_cannot_be_altered():
    token = make_token(SECRET, "form", "7", HOST, now=1_000_000)
    assert read_token(SECRET, token, "form", "7", now=1_000_000 + FORM_TOKEN_SECONDS) is not None
    assert read_token(SECRET, token, "form", "7", now=1_000_001 + FORM_TOKEN_SECONDS) is None
    assert read_token(SECRET, token, "form", "7", now=999_000) is None  # issued in the future
    body, signature = token.split(".")
    other = make_token(SECRET, "form", "7", "https://evil.example", now=1_000_000).split(".")[0]
    assert read_token(SECRET, f"{other}.{signature}", "form", "7", now=1_000_001) is None
    assert read_token(SECRET, body, "form", "7", now=1_000_001) is None
    assert read_token(SECRET, "", "form", "7", now=1_000_001) is None


def test_an_expired_token_still_names_its_host_page_and_nothing_else_does():
    token = make_token(SECRET, "form", "7", HOST, now=1_000_000)
    assert expired_token_parent(SECRET, token, "form", "7") == HOST  # however old: it is ours
    assert expired_token_parent(SECRET, token, "form", "8") is None
    assert expired_token_parent("another-secret", token, "form", "7") is None
    assert expired_token_parent(SECRET, token[:-2] + "xx", "form", "7") is None


@pytest.mark.parametrize(
    "url, origin",
    [
        ("https://Action.Example.org/page?x=1", "https://action.example.org"),
        ("https://action.example.org:443/", "https://action.example.org"),
        ("http://localhost:8080", "http://localhost:8080"),
        ("null", None),
        ("", None),
        ("javascript:alert(1)", None),
        ("https://a.org:99999/", None),
    ],
)
def test_origin_of_a_header(url, origin):
    assert origin_of(url) == origin


def test_only_listed_sites_and_our_own_pages_may_frame_the_form():
    assert may_frame(HOST, [HOST], [OURS])
    assert may_frame(OURS, [], [OURS + "/"])
    assert not may_frame("https://evil.example", [HOST], [OURS])
    assert not may_frame(None, [HOST], [OURS])


def test_a_submission_must_say_it_came_from_our_own_page():
    assert came_from(OURS, None, [OURS])
    assert came_from(None, OURS + "/embed/c/x?parent=y", [OURS])
    assert not came_from(HOST, None, [OURS])
    assert not came_from("null", OURS + "/embed/c/x", [OURS])  # a sandboxed frame says null: not ours
    assert not came_from(None, None, [OURS])


# --- headers ----------------------------------------------------------------------------------


def test_the_embedded_form_may_be_framed_by_the_campaigns_sites_and_nothing_else_may(client, campaign):
    response = open_form(client)
    assert response.status_code == 200
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'self'", HOST, "http://localhost:8080"]
    assert "X-Frame-Options" not in response.headers
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert response.headers["Cache-Control"] == "no-store"
    # The campaign's own page, and everything else, stays unframeable.
    for other in (f"/c/{DEMO}", "/privacy", "/no-such-page"):
        page = client.get(other)
        assert directives(page.headers["Content-Security-Policy"])["frame-ancestors"] == ["'none'"]
        assert page.headers["X-Frame-Options"] == "DENY"


def test_a_site_not_in_the_list_gets_a_refusal_that_cannot_be_framed(client, campaign):
    for response in (
        open_form(client, parent="https://evil.example"),
        # The page names an allowed site, but the browser says another one sent it here.
        client.get(FORM_URL, query_string={"parent": HOST}, headers={"Referer": "https://evil.example/"}),
        client.get(FORM_URL),
    ):
        assert response.status_code == 403
        assert "This form can't be shown here" in text(response)
        assert directives(response.headers["Content-Security-Policy"])["frame-ancestors"] == ["'none'"]
        assert response.headers["X-Frame-Options"] == "DENY"


def test_a_campaign_listing_no_sites_can_still_be_previewed_by_our_own_console(client, campaign):
    campaign.embed_origins = []
    db.session.commit()
    assert open_form(client).status_code == 403
    own = open_form(client, parent=OURS)
    assert own.status_code == 200
    assert directives(own.headers["Content-Security-Policy"])["frame-ancestors"] == ["'self'"]


def test_embed_js_is_served_for_any_site_and_names_no_one(client, campaign):
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    source = response.get_data(as_text=True)
    assert "event.origin !== origin" in source and "event.source !== frame.contentWindow" in source
    assert 'setAttribute("style"' not in source and "innerHTML" not in source


# --- the form without cookies ---------------------------------------------------------------


def test_the_form_works_with_no_cookie_at_all_and_lands_on_the_framed_call_page(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        found = load_demo_campaign(app.test_cli_runner())
        found.embed_origins = [HOST]
        seed_geography()
        db.session.commit()
        # A browser blocking third-party cookies: every request starts without one.
        client = app.test_client(use_cookies=False)
        token = form_token(open_form(client))
        response = send(client, token)
        assert response.status_code == 303, text(response)
        assert count(Call) == 1
        call_url = response.headers["Location"]
        assert call_url.startswith("/embed/calls/")
        page = client.get(call_url)
        assert page.status_code == 200
        assert "Your call is ready to preview" in text(page)
        assert directives(page.headers["Content-Security-Policy"])["frame-ancestors"] == ["'self'", HOST]
        assert f'data-embed-parent="{HOST}"' in text(page)
        # The page polls, and offers the preview, at addresses that stay in the frame.
        assert f'data-status-url="{call_url}/status"' in text(page)
        status = client.get(call_url + "/status").get_json()
        assert f'href="{call_url}/preview"' in status["view_html"]["end"]
        assert GOOD_PHONE.replace(" ", "") not in call_url and "5550123" not in call_url


def test_without_a_valid_token_nothing_is_stored(client, campaign):
    token = form_token(open_form(client))
    for bad in ("", token[:-2] + "xx", make_token("other-secret", "form", str(campaign.id), HOST, now=0)):
        response = send(client, bad)
        assert response.status_code == 400 and "This form has expired" in text(response)
    # Another campaign's token does not open this one.
    other = make_token(str(TEST_CONFIG["SECRET_KEY"]), "form", str(campaign.id + 1), HOST, now=time.time())
    assert send(client, other).status_code == 400
    assert nothing_stored()


def test_a_submission_from_another_origin_is_refused(client, campaign):
    token = form_token(open_form(client))
    assert send(client, token, origin="https://evil.example").status_code == 403
    assert send(client, token, origin=HOST).status_code == 403  # the host page itself posts nothing to us
    assert nothing_stored()


def test_a_site_removed_from_the_list_loses_the_form_at_once(client, campaign):
    token = form_token(open_form(client))
    campaign.embed_origins = ["https://other.example"]
    db.session.commit()
    response = send(client, token)
    assert response.status_code == 403 and "This form can't be shown here" in text(response)
    assert nothing_stored()


def test_the_embedded_form_shares_the_pages_limits_and_blocklist(app, client, campaign):
    token = form_token(open_form(client))
    statuses = [send(client, token, ip=f"198.51.100.{10 + n}").status_code for n in range(4)]
    assert statuses == [303, 303, 303, 429]  # RATE_LIMIT_PER_NUMBER: 3 per day, counted with the page's form
    assert (
        client.post(
            f"/c/{DEMO}", data={"phone": GOOD_PHONE, "location": "01003"}, headers={"X-Forwarded-For": "198.51.100.40"}
        ).status_code
        == 429
    )
    db.session.add(Block(kind=BlockKind.phone, value=vault(app).hash("+16175550199")))
    db.session.commit()
    blocked = send(client, token, phone="(617) 555-0199", ip="198.51.100.50")
    assert blocked.status_code == 429
    assert count(Call) == 3


def test_the_number_rules_answer_in_the_frame_with_a_fresh_form(client, campaign):
    token = form_token(open_form(client))
    response = send(client, token, phone="1-900-555-1212")
    assert response.status_code == 422
    assert 'class="field-error"' in response.get_data(as_text=True) or "field-invalid" in text(response)
    assert directives(response.headers["Content-Security-Policy"])["frame-ancestors"][1] == HOST
    assert form_token(response) and nothing_stored()


def test_a_call_page_token_opens_only_its_own_call(client, campaign):
    first = send(client, form_token(open_form(client))).headers["Location"]
    second = send(client, form_token(open_form(client)), phone="(617) 555-0144").headers["Location"]
    first_id, first_token = first.split("/")[3:5]
    second_id, _ = second.split("/")[3:5]
    assert client.get(f"/embed/calls/{second_id}/{first_token}").status_code == 404
    assert client.get(f"/embed/calls/{first_id}/not-a-token").status_code == 404
    assert client.get(first).status_code == 200


def test_the_preview_plays_in_the_frame_with_the_calls_token(client, campaign):
    call_url = send(client, form_token(open_form(client))).headers["Location"]
    token = call_url.split("/")[4]
    preview = client.get(call_url + "/preview")
    assert preview.status_code == 200 and form_token(preview) == token
    assert "X-Frame-Options" not in preview.headers
    ours = {"Origin": OURS}
    forged = client.post(call_url + "/preview", data={"action": "start", "csrf_token": "x"}, headers=ours)
    assert forged.status_code == 403
    started = client.post(call_url + "/preview", data={"action": "start", "csrf_token": token}, headers=ours)
    assert started.status_code == 303 and started.headers["Location"] == call_url + "/preview#controls"
    assert "You pressed" not in text(client.get(call_url + "/preview"))
    assert "Voice" in text(client.get(call_url + "/preview"))


# --- the campaign's list: its file, the schema, the console ---------------------------------


def test_the_schema_keeps_origins_only():
    assert embed_origins("https://Action.Example.org/\nhttp://localhost:8080, https://action.example.org:443") == [
        "https://action.example.org",
        "http://localhost:8080",
    ]
    assert embed_origins(["https://a.org"]) == ["https://a.org"] and embed_origins(None) == []
    for bad in ("https://*.a.org", "https://a.org/page", "a.org", "https://u@a.org", "ftp://a.org", "https://a.org;x"):
        with pytest.raises(CampaignInvalid) as refused:
            check_campaign({**CAMPAIGN_FILE, "embed_origins": [bad]})
        assert "is not an origin" in refused.value.errors["embed_origins"]


def test_a_campaign_file_lists_its_sites_and_writes_them_back(app):
    checked = check_campaign({**CAMPAIGN_FILE, "embed_origins": ["https://action.example.org"]})
    assert checked.values["embed_origins"] == ["https://action.example.org"]
    campaign = make_campaign(embed_origins=["https://action.example.org"])
    assert "embed_origins:\n- https://action.example.org\n" in campaign_yaml(campaign)


def test_the_console_saves_the_list_and_shows_the_snippet_and_a_live_preview(app, campaign):
    client = signed_in_client(app, Role.organiser)
    url = f"/console/campaigns/{DEMO}/edit"
    values = {**form_values(campaign), "embed_origins": "https://action.example.org\nhttps://Other.example.org/"}
    assert client.post(url, data=values).status_code == 303
    db.session.expire_all()
    assert campaign.embed_origins == ["https://action.example.org", "https://other.example.org"]

    refused = client.post(url, data={**values, "embed_origins": "https://a.org/with/path"})
    assert refused.status_code == 422 and "is not an origin" in text(refused)
    db.session.expire_all()
    assert campaign.embed_origins == ["https://action.example.org", "https://other.example.org"]

    page = client.get(url)
    snippet = f'<script src="{OURS}/embed.js" data-campaign="{DEMO}" async></script>'
    assert html.escape(snippet, quote=False) in page.get_data(as_text=True).replace("&#34;", '"')
    assert f'<div class="embed-preview"><script src="/embed.js" data-campaign="{DEMO}" async></script></div>' in text(
        page
    )
    # The console may frame our own embedded form, and is itself framed by nobody.
    policy = directives(page.headers["Content-Security-Policy"])
    assert policy["frame-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
    assert directives(client.get("/console/").headers["Content-Security-Policy"])["frame-src"] == ["'none'"]


def test_cancel_works_in_the_frame_with_the_calls_token(client, campaign):
    call_url = send(client, form_token(open_form(client))).headers["Location"]
    token = call_url.split("/")[4]
    page = client.get(call_url).get_data(as_text=True)
    # The call page's Cancel (shown while a call waits for its hour) posts to the frame's own address.
    assert f'<form method="post" action="{call_url}/cancel" class="schedule-cancel">' in page
    assert f'name="csrf_token" value="{token}"' in page
    ours = {"Origin": OURS}
    assert client.post(call_url + "/cancel", data={"csrf_token": "x"}, headers=ours).status_code == 403
    assert client.post(call_url + "/cancel", data={"csrf_token": token}, headers={"Origin": HOST}).status_code == 403
    assert db.session.scalars(select(Call)).one().status.value == "queued"
    canceled = client.post(call_url + "/cancel", data={"csrf_token": token}, headers=ours)
    assert canceled.status_code == 303 and canceled.headers["Location"] == call_url + "?said=canceled"
    db.session.expire_all()
    assert db.session.scalars(select(Call)).one().status.value == "canceled"
    assert "Your call is canceled" in text(client.get(call_url))


def test_the_host_pages_language_stays_with_the_frame_without_a_cookie(client, campaign):
    page = client.get(FORM_URL, query_string={"parent": HOST, "lang": "es"}, headers={"Referer": HOST + "/"})
    assert '<html lang="es">' in text(page)
    assert f'action="{FORM_URL}?lang=es"' in text(page)
    client.delete_cookie("lang")
    response = client.post(
        f"{FORM_URL}?lang=es",
        data={"phone": GOOD_PHONE, "location": "01003", "csrf_token": form_token(page)},
        headers={"Origin": OURS},
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("?lang=es")
    client.delete_cookie("lang")
    call_page = client.get(response.headers["Location"])
    assert '<html lang="es">' in text(call_page)
    assert "/status?lang=es" in text(call_page)


# --- what the call page says once: the lookup's notes, and what Cancel answered -----------------------

# Spoken where no geocoder answers: the form's address falls back to its ZIP, and the call page says so.
ADDRESS = "12 Main St, Springfield 01003"
FELL_BACK = {
    "en": "We could not look up street addresses just now, so we used ZIP 01003 instead.",
    "es": "Ahora mismo no pudimos buscar direcciones, así que usamos el código postal 01003.",
}
CANCELED = {"en": "Your call is canceled: we won't call you.", "es": "Tu llamada está cancelada: no te llamaremos."}
TOO_LATE = {
    "en": "It's too late to cancel: we're calling you right now.",
    "es": "Ya es tarde para cancelar: te estamos llamando ahora mismo.",
}


def notes_shown(response) -> list[str]:
    """The sentences in the call page's list of notes, in order."""
    found = re.search(r'<ul class="notes" data-notes>(.*?)</ul>', response.get_data(as_text=True), re.S)
    return (
        [html.unescape(item).strip() for item in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)] if found else []
    )


def no_personal_data_in(url: str) -> None:
    digits = re.sub(r"\D", "", url)
    assert "6175550123" not in digits and "5550123" not in digits  # the number, in any spelling
    assert "01003" not in url and "Main" not in url and "ZIP" not in url.upper()  # nor where they live


@pytest.fixture
def cookieless(make_app):
    """A browser blocking third-party cookies in the frame (every request starts without one), on an app whose
    street-address lookup is down (the ZIP stands in, and the call page says so)."""
    app = make_app(CENSUS_GEOCODER_URL="http://127.0.0.1:9/geocoder", CENSUS_GEOCODER_TIMEOUT=1.0)
    with app.app_context():
        found = load_demo_campaign(app.test_cli_runner())
        found.embed_origins = [HOST]
        seed_geography()
        db.session.commit()
        yield app.test_client(use_cookies=False)


def framed_call(client, lang: str, **fields) -> str:
    """Open the form in `lang` and send it: the framed call page's address it redirects to."""
    page = client.get(FORM_URL, query_string={"parent": HOST, "lang": lang}, headers={"Referer": HOST + "/"})
    data = {"phone": GOOD_PHONE, "location": "01003", "csrf_token": form_token(page)} | fields
    response = client.post(f"{FORM_URL}?lang={lang}", data=data, headers={"Origin": OURS})
    assert response.status_code == 303, text(response)
    return response.headers["Location"]


def cancel_in_frame(client, call_url: str):
    """Press the framed call page's Cancel my call: its form's own address and token."""
    page = html.unescape(client.get(call_url).get_data(as_text=True))
    action = re.search(r'<form method="post" action="([^"]+/cancel[^"]*)"', page)
    assert action, "the page offers no Cancel"
    return client.post(action.group(1), data={"csrf_token": form_token_in(page)}, headers={"Origin": OURS})


def form_token_in(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page's form carries no token"
    return found.group(1)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_framed_call_page_says_what_the_lookup_noted_in_the_supporters_language(cookieless, lang):
    call_url = framed_call(cookieless, lang, location=ADDRESS)
    no_personal_data_in(call_url)
    page = cookieless.get(call_url)
    assert page.status_code == 200
    assert notes_shown(page) == [FELL_BACK[lang]]
    # Said once, as the campaign page's flash says it; and the ZIP is not kept on the call after that.
    assert notes_shown(cookieless.get(call_url)) == []
    db.session.expire_all()
    assert db.session.scalars(select(Call).where(Call.notes.is_(None))).one()  # a NULL: nothing left to purge
    # The status the page polls never carries it either.
    assert "01003" not in cookieless.get(call_url + "/status").get_data(as_text=True)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_cancel_in_the_frame_says_it_on_the_framed_call_page(cookieless, lang):
    call_url = framed_call(cookieless, lang)
    canceled = cancel_in_frame(cookieless, call_url)
    assert canceled.status_code == 303
    no_personal_data_in(canceled.headers["Location"])
    page = cookieless.get(canceled.headers["Location"])
    assert notes_shown(page) == [CANCELED[lang]]  # and nothing else: the lookup noted nothing for this call
    assert f'<html lang="{lang}">' in text(page)
    # The address names an answer of Cancel's; any other word says nothing.
    assert notes_shown(cookieless.get(f"{call_url}{'&' if '?' in call_url else '?'}said=nonsense")) == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_too_late_to_cancel_in_the_frame_says_so_on_the_framed_call_page(cookieless, lang):
    call_url = framed_call(cookieless, lang)
    held = db.session.scalars(select(Call)).one()
    held.dialing_since = utcnow()  # a dialer holds the call: only Twilio can end it now
    db.session.commit()
    late = cancel_in_frame(cookieless, call_url)
    assert late.status_code == 303
    assert notes_shown(cookieless.get(late.headers["Location"])) == [TOO_LATE[lang]]
    db.session.expire_all()
    assert db.session.scalars(select(Call)).one().status.value == "queued"


def test_an_expired_forms_page_in_the_frame_still_tells_its_host_page_its_height(client, campaign):
    old = make_token(str(TEST_CONFIG["SECRET_KEY"]), "form", str(campaign.id), HOST, now=time.time() - 3 * 3600)
    response = send(client, old)
    assert response.status_code == 400 and "This form has expired" in text(response)
    # The frame's script (embed-frame.js) sends the height only to the page the token names.
    assert f'data-embed-parent="{HOST}"' in text(response) and "embed-frame.js" in text(response)
    assert directives(response.headers["Content-Security-Policy"])["frame-ancestors"] == [
        "'self'",
        HOST,
        "http://localhost:8080",
    ]
    # A token that is not ours, or names a site the campaign no longer lists, names nobody.
    forged = make_token("other-secret", "form", str(campaign.id), HOST, now=time.time() - 3 * 3600)
    assert 'data-embed-parent=""' in text(send(client, forged))
    stranger = make_token(
        str(TEST_CONFIG["SECRET_KEY"]), "form", str(campaign.id), "https://evil.example", now=time.time() - 3 * 3600
    )
    assert 'data-embed-parent=""' in text(send(client, stranger))


def test_a_supporter_over_the_forms_per_address_limit_sees_the_notice_in_the_frame(make_app):
    """The per-address limit refuses before the form's view runs: its notice must still be framable by the campaign's
    sites (a browser shows nothing at all for a frame its page refuses) and tell the host page its height."""
    app = make_app(RATE_LIMIT_FORMS_PER_IP="1 per hour")
    with app.app_context():
        found = load_demo_campaign(app.test_cli_runner())
        found.embed_origins = [HOST]
        seed_geography()
        db.session.commit()
        client = app.test_client()
        token = form_token(open_form(client))
        assert send(client, token, ip="198.51.100.60").status_code == 303
        refused = send(client, token, ip="198.51.100.60", phone="(617) 555-0142")
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert directives(refused.headers["Content-Security-Policy"])["frame-ancestors"] == ["'self'", HOST]
    assert "X-Frame-Options" not in refused.headers
    assert f'data-embed-parent="{HOST}"' in text(refused) and "embed-frame.js" in text(refused)
    # Its way back is the form again, in the frame (no Referer: the form checks one against its host page).
    back = re.search(r'<a class="button" href="([^"]+)" rel="noreferrer">', text(refused))
    assert back and back.group(1) == f"/embed/c/{DEMO}?parent={HOST}"
    with app.app_context():
        again = client.get(back.group(1))
    assert again.status_code == 200 and 'name="csrf_token"' in text(again)
