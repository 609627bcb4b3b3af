"""Values the templates show, worked out from campaign and call data. No Flask, and no words:
the sentences themselves live in the templates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

_SCRIPT_BLANK = re.compile(r"\{(name|town)\}")


@dataclass(frozen=True)
class Deadline:
    """A campaign's deadline, in its own time zone; `last_day` is the last day calls count."""

    utc: datetime
    local: datetime
    at_midnight: bool
    last_day: date
    timezone: str


def deadline(ends_at: datetime | None, timezone: str) -> Deadline | None:
    """The deadline as the campaign says it: 00:00 on Aug 1 is "midnight at the end of July 31"."""
    if ends_at is None:
        return None
    local = ends_at.astimezone(ZoneInfo(timezone))
    at_midnight = local.time() == time(0, 0)
    last_day = local.date() - timedelta(days=1) if at_midnight else local.date()
    return Deadline(ends_at, local, at_midnight, last_day, timezone)


def paragraphs(text: str) -> list[str]:
    """Text split at blank lines, each paragraph's line breaks joined, empty ones dropped."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def fill_script(template: str, name: str | None, town: str | None, name_blank: str, town_blank: str) -> list[Markup]:
    """The script's paragraphs as safe HTML, {name} and {town} filled (or their blanks) and marked."""
    values = {"name": name, "town": town}
    blanks = {"name": name_blank, "town": town_blank}

    def fill(paragraph: str) -> Markup:
        out, last = [], 0
        for match in _SCRIPT_BLANK.finditer(paragraph):
            out.append(escape(paragraph[last : match.start()]))
            key = match.group(1)
            given = values[key]
            css = "script-fill" if given else "script-fill script-blank"
            out.append(Markup('<strong class="{}">{}</strong>').format(css, given or blanks[key]))
            last = match.end()
        out.append(escape(paragraph[last:]))
        return Markup("").join(out)

    return [fill(p) for p in paragraphs(template)]


def share_links(url: str, text: str, subject: str) -> dict[str, str]:
    """Links that share the campaign page: X, Facebook, WhatsApp and e-mail."""
    message = f"{text.strip()} {url}".strip()
    return {
        "x": "https://x.com/intent/post?" + urlencode({"text": text.strip(), "url": url}),
        "facebook": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        "whatsapp": "https://wa.me/?" + urlencode({"text": message}),
        # mailto wants %20 for spaces, not +.
        "email": f"mailto:?subject={quote(subject, safe='')}&body={quote(message, safe='')}",
    }
