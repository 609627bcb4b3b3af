"""The organiser's console in Spanish and Brazilian Portuguese: its layout, every page, its messages, durations and
the audit log's actions."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from markupsafe import escape
from sqlalchemy import select

from api.tokens import create_token, revoke_token
from console import audit
from console.numbers import WINDOW_DAYS
from console.words import ACTION_NAMES
from extensions import db
from languages import formats, gettext, translations
from models import (
    ApiToken,
    AuditEntry,
    CallStatus,
    Campaign,
    DeliveryStatus,
    EventType,
    LegStatus,
    OfficeNumber,
    Role,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    utcnow,
)
from targets.health import FLAG_SHARE, MIN_DIALS, SHORT_CONNECTION_SECONDS
from tests.support.console import make_user, signed_in_client
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.pages import page
from tests.support.webhooks import make_endpoint

# Sentences each console page says in English; none may be left in English on a translated page.
LAYOUT = ("Organiser's console", "Sign out", "Office numbers", "Results here are counts only")
PAGES = {
    "/console/": ("New campaign", "Import a campaign file (YAML)", "Every campaign, newest first", "Calls today"),
    "/console/campaigns/families/edit": (
        "Whom supporters call, in order",
        "Senate first, then House",
        "Eastern (New York)",
        "The first thing the voice says when the supporter answers.",
        "Preview before going live",
        "Duplicate this campaign",
    ),
    "/console/users": ("Console accounts", "Change role", "Create account", "At least 12 characters"),
    "/console/audit": ("Audit log", "Nothing has been changed yet."),
    "/console/campaigns/families": (
        "Calls over time",
        "From request to conversation",
        "Answered by the supporter",
        "Heard the talking points",
        "Download the calls (CSV)",
        "Preview calls are not counted",
    ),
}
LOCALES = {"es": "es", "pt_BR": "pt-BR"}


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("url", PAGES)
def test_each_console_page_speaks_the_chosen_language(app, locale, url):
    make_campaign(slug="families", title="Families")
    client = signed_in_client(app, Role.admin)
    english = client.get(url).get_data(as_text=True)
    for sentence in LAYOUT + PAGES[url]:
        assert sentence.replace("'", "&#39;") in english or sentence in english  # the English page says it

    response = client.get(f"{url}?lang={locale}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    html = page(response)
    assert html.element("html")["lang"] == LOCALES[locale]
    assert html.element("a", hreflang=LOCALES[locale])["aria-current"] == "true"  # the switch is in the layout
    for sentence in LAYOUT + PAGES[url]:
        assert sentence not in text, f"{sentence!r} left in English on {url} in {locale}"
    assert gettext(locale, "Sign out") in text
    # The choice is kept: the next console page, without ?lang=, follows it.
    assert page(client.get(url)).element("html")["lang"] == LOCALES[locale]


@pytest.mark.parametrize("locale", LOCALES)
def test_the_results_charts_label_days_as_the_language_writes_them(app, locale):
    campaign = make_campaign(slug="families", title="Families", timezone="America/New_York")
    client = signed_in_client(app, Role.viewer)
    today = utcnow().astimezone(ZoneInfo(campaign.timezone)).date()
    english = client.get("/console/campaigns/families").get_data(as_text=True)
    assert f"<td>{today.strftime('%b %d')}</td>" in english  # the daily chart's table, as before
    text = client.get(f"/console/campaigns/families?lang={locale}").get_data(as_text=True)
    assert f"<td>{formats.month_day(today, locale)}</td>" in text
    assert f"<td>{today.strftime('%b %d')}</td>" not in text
    # The refresh (results.json) follows the same choice, kept in the cookie.
    refreshed = client.get("/console/campaigns/families/results.json").get_json()["html"]
    assert gettext(locale, "Calls over time") in refreshed and "Calls over time" not in refreshed


@pytest.mark.parametrize("locale", LOCALES)
def test_the_consoles_messages_and_status_page_follow_the_choice(app, locale):
    make_campaign(slug="families", title="Families")
    client = signed_in_client(app, Role.organiser)
    client.get(f"/console/?lang={locale}")
    confirm = client.get("/console/campaigns/families/status?status=paused").get_data(as_text=True)
    assert "Yes, pause" not in confirm and "No, go back" not in confirm
    assert (
        gettext(
            locale, "Its page stays up but says the campaign is paused, and takes no calls until it goes live again."
        )
        in confirm
    )
    done = client.post("/console/campaigns/families/status", data={"status": "paused"}, follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "Families is now paused." not in text
    assert (
        gettext(locale, "%(title)s is now %(status)s.") % {"title": "Families", "status": gettext(locale, "paused")}
        in text
    )


def _busy_console(app) -> None:
    """Something on each of the tokens, webhooks and numbers pages: tokens live and revoked, an endpoint with a
    pending event that got no answer and a delivered one, and an office number whose dials all failed."""
    campaign = make_campaign(slug="families", title="Families")
    create_token(db.session, "Coalition page", read=True, create=False, campaigns=[], all_campaigns=True)
    old = create_token(db.session, "Old form", read=False, create=True, campaigns=[campaign]).row
    revoke_token(db.session, old, utcnow())
    endpoint = make_endpoint(campaign, "https://hooks.example.org/calls")
    dead = make_target("Dee Dead", "State Representative", "+16177220002", make_district("lower", "1st Alpha"))
    for _ in range(6):
        make_call(app, campaign, [dead]).legs[0].status = LegStatus.failed
    fine = make_target("Ann Able", "State Senator", "+16177220003", make_district("upper", "1st Beta"))
    make_call(app, campaign, [fine]).legs[0].status = LegStatus.completed
    call = make_call(app, campaign, [dead])
    for status in (DeliveryStatus.pending, DeliveryStatus.delivered):
        event = WebhookEvent(endpoint_id=endpoint.id, call_id=call.id, type=EventType.call_requested, status=status)
        event.attempts = 1
        event.deliveries = [WebhookDelivery(status_code=None if status is DeliveryStatus.pending else 204)]
        db.session.add(event)
    db.session.commit()


# What the tokens, webhooks and numbers pages say in English, none of it left on a translated page.
ADMIN_PAGES = {
    "/console/api-tokens/": (
        "API tokens",
        "Only a hash of each token is kept.",
        "API tokens, live ones first",
        "every campaign",
        ">never<",
        "in use",
        "Revoke",
        "revoked <time",
        "New token",
        "Whom or what it is for",
        "read campaigns, results and legs",
        "every campaign, present and future",
        "Make token",
    ),
    "/console/campaigns/families/webhooks": (
        "events are posted as JSON",
        "Endpoints table (scrolls sideways)",
        ">Remove<",
        "New endpoint",
        "An https address on the public internet.",
        "Add the endpoint",
        "Latest events",
        "Events and their delivery attempts",
        "pending",
        "delivered",
        "next try",
        "no answer",
        "Redeliver",
    ),
    "/console/numbers/": (
        "Office numbers that look wrong",
        "office numbers dialed in the last 7 days",
        "Busy and unanswered lines are shown",
        "Couldn't get through",
        "Unanswered",
        "Looks wrong",
        "Mark checked",
        "Take out of rotation",
        "New number",
        "Replace",
    ),
}


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_the_tokens_webhooks_and_numbers_pages_speak_the_chosen_language(app, locale, url):
    _busy_console(app)
    client = signed_in_client(app, Role.admin)
    english = client.get(url).get_data(as_text=True)
    for sentence in ADMIN_PAGES[url]:
        assert sentence.replace("'", "&#39;") in english or sentence in english, sentence  # the English page says it

    response = client.get(f"{url}?lang={locale}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert page(response).element("html")["lang"] == LOCALES[locale]
    for sentence in LAYOUT + ADMIN_PAGES[url]:
        assert sentence.replace("'", "&#39;") not in text, f"{sentence!r} left in English on {url} in {locale}"


@pytest.mark.parametrize("dialed", [1, 2])
def test_the_numbers_page_counts_office_numbers_with_each_languages_plural_forms(app, dialed):
    campaign = make_campaign()
    for n in range(dialed):
        target = make_target(f"Dee Dead {n}", "State Representative", f"+1617722000{n}", make_district("lower", f"{n}"))
        for _ in range(6):
            make_call(app, campaign, [target]).legs[0].status = LegStatus.failed
    db.session.commit()
    client = signed_in_client(app, Role.viewer)
    singular, plural = (
        "Of the %(num)s office number dialed in the last %(days)s days, these look wrong:",
        "Of the %(num)s office numbers dialed in the last %(days)s days, these look wrong:",
    )
    rest = (
        " at least %(share)s%% of their dials (and at least %(dials)s) failed, connected for under %(seconds)s "
        "seconds, or ended with the supporter saying they couldn't get through."
    )
    values = {"num": dialed, "days": WINDOW_DAYS, "share": round(FLAG_SHARE * 100), "dials": MIN_DIALS}
    values["seconds"] = SHORT_CONNECTION_SECONDS
    for locale in ("en", *LOCALES):
        text = client.get(f"/console/numbers/?lang={locale}").get_data(as_text=True)
        said = translations(locale).ngettext(singular + rest, plural + rest, dialed) % values
        assert said in text  # the catalog's own words, trusted as they are
        assert "(s)" not in text
    english = client.get("/console/numbers/?lang=en").get_data(as_text=True)
    assert f"Of the {dialed} office number{'s' if dialed > 1 else ''} dialed" in english


def _translated(locale: str, message: str, **values) -> str:
    return str(escape(gettext(locale, message) % values if values else gettext(locale, message)))


@pytest.mark.parametrize("locale", LOCALES)
def test_the_console_says_its_problems_and_answers_in_the_chosen_language(app, locale):
    _busy_console(app)
    client = signed_in_client(app, Role.admin)
    client.get(f"/console/?lang={locale}")

    # A form's mistakes, from the domain code (tokens, webhooks, accounts), said as sentences of their own.
    text = client.post("/console/api-tokens/", data={"name": "", "read": "1"}).get_data(as_text=True)
    assert "Give the token a name" not in text
    sentence = gettext(locale, "give the token a name, e.g. the partner or the form it is for")
    assert str(escape(sentence[:1].upper() + sentence[1:] + ".")) in text
    text = client.post("/console/campaigns/families/webhooks", data={"url": "ftp://x"}).get_data(as_text=True)
    assert _translated(locale, "The URL must start with https:// (or http://) and name a host.") in text
    text = client.post("/console/users", data={"email": "new@example.org", "password": "short", "role": "viewer"})
    assert _translated(locale, "the password needs at least %(count)s characters", count=12)[1:] in text.get_data(
        as_text=True
    )

    # The numbers page's answers and refusals.
    done = client.post("/console/numbers/act", data={"phone": "+16177220002", "action": "out"}, follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "is out of rotation." not in text
    assert _translated(locale, "%(phone)s is out of rotation.", phone="+16177220002") in text
    assert _translated(locale, "Out of rotation") in text
    refused = client.post(
        "/console/numbers/act",
        data={"phone": "+16177220002", "action": "replace", "new_phone": "+16177220002"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert _translated(locale, "That is the number it has already.") in refused

    # The campaign form's field errors, from the one campaign schema.
    form = client.post("/console/campaigns/new", data={"slug": "Bad Slug", "title": "T", "state": "MA"})
    text = form.get_data(as_text=True)
    assert form.status_code == 422
    assert "slug must be lower-case" not in text
    assert _translated(locale, "slug must be lower-case letters, digits and dashes") in text
    assert _translated(locale, "missing field(s): %(fields)s", fields="headline, greeting, talking_points") in text
    # A campaign file that is not YAML: the line, and why, in the reader's language.
    upload = {"campaign_file": (io.BytesIO(b"slug: [unclosed"), "c.yml")}
    imported = client.post("/console/campaigns/import", data=upload, follow_redirects=True).get_data(as_text=True)
    assert "not valid YAML" not in imported
    assert _translated(locale, "Nothing was imported: %(problem)s", problem="")[:-1] in imported
    assert str(escape(gettext(locale, "line %(line)s: %(problem)s").split("%")[0])) in imported


@pytest.mark.parametrize("locale", ["en", *LOCALES])
def test_the_results_write_durations_as_the_language_does_and_the_csv_keeps_seconds(app, locale):
    campaign = make_campaign(slug="families", title="Families")
    senator = make_target("Jane Doe", "State Senator", district=make_district("upper", "First Middlesex"))
    call = make_call(app, campaign, [senator])
    call.status, call.step, call.answered_by = CallStatus.completed, "done", "human"
    call.legs[0].status, call.legs[0].duration = LegStatus.completed, 65
    db.session.commit()
    client = signed_in_client(app, Role.viewer)

    text = client.get(f"/console/campaigns/families?lang={locale}").get_data(as_text=True)
    assert f'<td class="num">{formats.duration(65, locale)}</td>' in text
    assert formats.duration(65, locale) == {"en": "1 min 5 sec", "es": "1 min 5 s", "pt_BR": "1 min 5 s"}[locale]
    assert "1 min 05 s" not in text
    rows = list(csv.DictReader(io.StringIO(client.get("/console/campaigns/families/calls.csv").get_data(as_text=True))))
    assert [row["duration_seconds"] for row in rows] == ["65"]  # data: seconds, whatever the language


@pytest.mark.parametrize("locale", LOCALES)
def test_the_audit_log_names_each_action_in_the_chosen_language_and_keeps_the_codes(app, locale):
    user = make_user(Role.organiser, "someone@example.org")
    for action in ACTION_NAMES:
        audit.record(db.session, user, action, "families")
    db.session.commit()
    client = signed_in_client(app, Role.admin)

    text = client.get(f"/console/audit?lang={locale}").get_data(as_text=True)
    for action, name in ACTION_NAMES.items():
        assert f'<td data-action="{action}">{escape(gettext(locale, name))}</td>' in text
    english = client.get("/console/audit?lang=en").get_data(as_text=True)
    assert '<td data-action="campaign.status">Campaign status changed</td>' in english
    stored = db.session.scalars(select(AuditEntry.action)).all()
    assert set(stored) == set(ACTION_NAMES)  # the log keeps the codes


def test_every_action_the_console_records_has_a_name_on_the_audit_page():
    root = Path(__file__).resolve().parent.parent
    areas = "|".join(sorted({action.split(".")[0] for action in ACTION_NAMES}))
    recorded = set()
    for source in [*root.glob("console/*.py"), *root.glob("api/*.py"), *root.glob("targets/*.py")]:
        recorded |= set(re.findall(rf'"((?:{areas})\.[a-z_]+)"', source.read_text(encoding="utf-8")))
    assert len(recorded) > 15 and recorded <= set(ACTION_NAMES), recorded - set(ACTION_NAMES)


# A fixed moment: 21:05:09 UTC, 17:05:09 in the campaign's Boston (EDT).
FIXED = datetime(2025, 7, 31, 21, 5, 9, tzinfo=UTC)
# What each page says of it, exactly: a date with its year and the time as each language writes them, in the
# campaign's time zone on its own pages, in UTC (said) elsewhere; seconds where the page is a log.
DATES = {
    "es": {
        "/console/audit": ('<time datetime="2025-07-31T21:05:09+00:00">31 jul 2025, 21:05:09</time>',),
        "/console/api-tokens/": (
            '<time datetime="2025-07-31T21:05:09+00:00">31 jul 2025, 21:05 UTC</time>, por maker@',
            '<td class="last-used"><time datetime="2025-07-31T21:05:09+00:00">31 jul 2025, 21:05 UTC</time></td>',
            'revocada el <time datetime="2025-07-31T21:05:09+00:00">31 jul 2025, 21:05 UTC</time>',
        ),
        "/console/campaigns/families/webhooks": (
            '<td><time datetime="2025-07-31T21:05:09+00:00">31 jul 2025, 17:05 EDT</time></td>',
            '<time datetime="2025-07-31T21:05:09+00:00">31 jul 2025, 17:05:09 EDT</time></span>',
            "(próximo intento: 1 ago 2025, 17:05:09 EDT)",
            '<li><time datetime="2025-07-31T21:05:09+00:00">17:05:09</time>: sin respuesta',
        ),
        "/console/numbers/": ("(revisado el 31 jul 2025)",),
        "/console/": ('<time datetime="2025-07-31T17:05:09-04:00">31 jul 2025, 17:05 EDT</time>',),
        "/console/campaigns/families": ("Fecha límite: 31 jul 2025, 17:05 EDT.",),
    },
    "pt_BR": {
        "/console/audit": ('<time datetime="2025-07-31T21:05:09+00:00">31 de jul. de 2025 21:05:09</time>',),
        "/console/api-tokens/": (
            '<time datetime="2025-07-31T21:05:09+00:00">31 de jul. de 2025 21:05 UTC</time>, por maker@',
            '<td class="last-used"><time datetime="2025-07-31T21:05:09+00:00">31 de jul. de 2025 21:05 UTC</time></td>',
            'revogado em <time datetime="2025-07-31T21:05:09+00:00">31 de jul. de 2025 21:05 UTC</time>',
        ),
        "/console/campaigns/families/webhooks": (
            '<td><time datetime="2025-07-31T21:05:09+00:00">31 de jul. de 2025 17:05 EDT</time></td>',
            '<time datetime="2025-07-31T21:05:09+00:00">31 de jul. de 2025 17:05:09 EDT</time></span>',
            "(próxima tentativa: 1 de ago. de 2025 17:05:09 EDT)",
            '<li><time datetime="2025-07-31T21:05:09+00:00">17:05:09</time>: sem resposta',
        ),
        "/console/numbers/": ("(verificado em 31 de jul. de 2025)",),
        "/console/": ('<time datetime="2025-07-31T17:05:09-04:00">31 de jul. de 2025 17:05 EDT</time>',),
        "/console/campaigns/families": ("Prazo final: 31 de jul. de 2025 17:05 EDT.",),
    },
}


def _dated_console(app) -> None:
    """The busy console with every date it shows at FIXED (the next webhook try a day later), in Boston's zone."""
    _busy_console(app)
    campaign = db.session.scalars(select(Campaign)).one()
    campaign.timezone, campaign.ends_at = "America/New_York", FIXED
    admin = make_user(Role.organiser, "maker@example.org")
    for token in db.session.scalars(select(ApiToken)):
        token.created_at, token.last_used_at, token.created_by = FIXED, FIXED, admin
        token.revoked_at = FIXED if token.revoked_at else None
    audit.record(db.session, admin, "campaign.update", "families")
    for entry in db.session.scalars(select(AuditEntry)):
        entry.created_at = FIXED
    for endpoint in db.session.scalars(select(WebhookEndpoint)):
        endpoint.created_at = FIXED
    for event in db.session.scalars(select(WebhookEvent)):
        event.created_at, event.next_attempt_at = FIXED, FIXED + timedelta(days=1)
    for delivery in db.session.scalars(select(WebhookDelivery)):
        delivery.attempted_at = FIXED
    db.session.add(OfficeNumber(phone="+16177220002", out_of_rotation=False, checked_at=FIXED))
    db.session.commit()


@pytest.mark.parametrize("locale", DATES)
def test_console_dates_are_written_as_the_language_writes_them_in_the_campaigns_zone_or_utc(app, locale):
    _dated_console(app)
    client = signed_in_client(app, Role.admin)
    for url, said in DATES[locale].items():
        text = client.get(f"{url}?lang={locale}").get_data(as_text=True)
        for words in said:
            assert words in text, f"{words!r} not on {url} in {locale}"
        assert "2025-07-31" not in text.replace('datetime="2025-07-31', ""), url  # no ISO date left in the words


TITLES = {
    "es": ("Representante estatal Dee Dead", "Senador estatal Jane Doe"),
    "pt_BR": ("Deputado estadual Dee Dead", "Senador estadual Jane Doe"),
}


@pytest.mark.parametrize("locale", TITLES)
def test_the_console_translates_legislators_titles_and_never_their_names(app, locale):
    _busy_console(app)
    campaign = db.session.scalars(select(Campaign)).one()
    senator = make_target("Jane Doe", "State Senator", "+16177220004", make_district("upper", "First Middlesex"))
    make_call(app, campaign, [senator]).legs[0].status = LegStatus.completed
    db.session.commit()
    client = signed_in_client(app, Role.viewer)
    representative, senator_words = TITLES[locale]

    numbers = client.get(f"/console/numbers/?lang={locale}").get_data(as_text=True)
    assert f"<td>{representative}</td>" in numbers and "State Representative" not in numbers
    results = client.get("/console/campaigns/families").get_data(as_text=True)
    assert f'<th scope="row">{senator_words}</th>' in results and "State Senator" not in results
    # The data keeps them as the legislature spells them: the CSV's target column.
    rows = list(csv.DictReader(io.StringIO(client.get("/console/campaigns/families/calls.csv").get_data(as_text=True))))
    assert "State Senator Jane Doe" in {row["target"] for row in rows}


EVENTS_AND_SCOPES = {
    "es": (
        '<span data-event-type="call.requested">Llamada pedida</span> (<code>call.requested</code>)',
        '<li data-scope="read">leer campañas, resultados y tramos (<code>read</code>)</li>',
        '<li data-scope="create">crear llamadas (<code>create</code>)</li>',
    ),
    "pt_BR": (
        '<span data-event-type="call.requested">Ligação pedida</span> (<code>call.requested</code>)',
        '<li data-scope="read">ler campanhas, resultados e trechos (<code>read</code>)</li>',
        '<li data-scope="create">criar ligações (<code>create</code>)</li>',
    ),
}


@pytest.mark.parametrize("locale", EVENTS_AND_SCOPES)
def test_webhook_events_and_token_scopes_are_named_in_the_chosen_language_beside_their_codes(app, locale):
    _busy_console(app)
    client = signed_in_client(app, Role.admin)
    event, read, create = EVENTS_AND_SCOPES[locale]
    assert event in client.get(f"/console/campaigns/families/webhooks?lang={locale}").get_data(as_text=True)
    tokens = client.get(f"/console/api-tokens/?lang={locale}").get_data(as_text=True)
    assert read in tokens and create in tokens
    english = client.get("/console/api-tokens/?lang=en").get_data(as_text=True)
    assert '<li data-scope="read">read campaigns, results and legs (<code>read</code>)</li>' in english
