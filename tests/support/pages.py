"""Helpers for the page tests: a small made-up geography, the demo campaign, and reading pages."""

from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser

from sqlalchemy import func, select

from extensions import db
from models import Call, Caller, Campaign, District, LegislativeChamber, Target, ZipDistrict

DEMO = "protect-immigrant-families"
GOOD_PHONE = "(617) 555-0123"
GOOD_E164 = "+16175550123"


def load_demo_campaign(runner) -> Campaign:
    """The demo campaign from campaigns/, as `flask campaign load` stores it."""
    result = runner.invoke(args=["campaign", "load"])
    assert result.exit_code == 0, result.output
    return db.session.scalars(select(Campaign).where(Campaign.slug == DEMO)).one()


def load_ma_data(runner, ma_data_dir) -> None:
    """The real Massachusetts districts, ZIP areas and legislators (a second or so)."""
    result = runner.invoke(args=["data", "load", "--from", str(ma_data_dir)])
    assert result.exit_code == 0, result.output


def seed_geography() -> dict[str, Target]:
    """A made-up corner of Massachusetts, small enough to read at a glance.

    01001: one Senate district, House split between 1st and 2nd Alpha
    01002: one Senate district, the 3rd Alpha House seat is vacant
    01003: one district per chamber
    01004: both chambers split
    """

    def district(chamber: str, geoid: str, name: str) -> District:
        row = District(
            state="MA", chamber=chamber, census_geoid=geoid, name=name, ocd_division_id=f"ocd-division/test/{geoid}"
        )
        db.session.add(row)
        return row

    # What `flask data load` writes beside the districts: the chambers as Open States' metadata names them.
    db.session.add_all(
        [
            LegislativeChamber(state="MA", chamber="upper", name="Senate", member_title="State Senator"),
            LegislativeChamber(state="MA", chamber="lower", name="House", member_title="State Representative"),
        ]
    )
    sen_a = district("upper", "25D01", "First Testing")
    sen_b = district("upper", "25D02", "Second Testing")
    rep_1 = district("lower", "25001", "1st Alpha")
    rep_2 = district("lower", "25002", "2nd Alpha")
    rep_3 = district("lower", "25003", "3rd Alpha")
    targets = {
        "ada": Target(
            source_id="test:ada",
            name="Ada Adams",
            title="State Senator",
            party="Democratic",
            state="MA",
            district=sen_a,
            phone="+16175550101",
        ),
        "bo": Target(
            source_id="test:bo",
            name="Bo Baker",
            title="State Senator",
            party="Republican",
            state="MA",
            district=sen_b,
            phone="+16175550102",
        ),
        "cy": Target(
            source_id="test:cy",
            name="Cy Cole",
            title="State Representative",
            party="Democratic",
            state="MA",
            district=rep_1,
            phone="+16175550111",
            extension="204",
        ),
        "di": Target(
            source_id="test:di",
            name="Di Diaz",
            title="State Representative",
            party="Unenrolled",
            state="MA",
            district=rep_2,
            phone="+16175550112",
        ),
    }
    db.session.add_all(targets.values())
    db.session.flush()
    areas = {
        "01001": [(sen_a, 1), (rep_1, 1), (rep_2, 2)],
        "01002": [(sen_a, 1), (rep_3, 1)],
        "01003": [(sen_a, 1), (rep_1, 1)],
        "01004": [(sen_a, 1), (sen_b, 2), (rep_1, 1), (rep_2, 2)],
    }
    for zcta, rows in areas.items():
        db.session.add_all(ZipDistrict(zcta=zcta, district_id=d.id, rank=rank) for d, rank in rows)
    db.session.commit()
    return targets


def count(model) -> int:
    """How many rows a table holds."""
    return db.session.scalars(select(func.count()).select_from(model)).one()


def nothing_stored() -> bool:
    """True when no call and no caller was written."""
    return count(Call) == 0 and count(Caller) == 0


def only_call() -> Call:
    """The one call in the database."""
    calls = db.session.scalars(select(Call)).all()
    assert len(calls) == 1
    return calls[0]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, list[str]] = {}
        self._open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag not in {"input", "meta", "link", "br", "img"}:
            self._open.append((tag, attributes.get("id")))

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for _, element_id in self._open:
            if element_id:
                self.texts.setdefault(element_id, []).append(data)


class Page:
    """A rendered page, read the way a test wants to ask about it."""

    def __init__(self, html: str) -> None:
        self.html = html
        self._parsed = _Collector()
        self._parsed.feed(html)

    def element(self, tag: str, **attrs: str) -> dict[str, str | None]:
        """The one element with this tag and these attribute values (use class_ for class)."""
        wanted = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        found = [a for t, a in self._parsed.elements if t == tag and all(a.get(k) == v for k, v in wanted.items())]
        assert len(found) == 1, f"{len(found)} <{tag}> elements match {wanted}"
        return found[0]

    def all(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        """Every element with this tag and these attribute values."""
        wanted = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        return [a for t, a in self._parsed.elements if t == tag and all(a.get(k) == v for k, v in wanted.items())]

    def text(self, element_id: str) -> str:
        """The visible text inside the element with this id, whitespace collapsed."""
        return " ".join("".join(self._parsed.texts.get(element_id, [])).split())

    def visible_text(self) -> str:
        """All the page's text, tags dropped, whitespace collapsed."""
        body = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", self.html)
        # Inline elements sit inside a sentence; every other tag separates words.
        body = re.sub(r"</?(?:span|strong|em|b|a|time)\b[^>]*>", "", body)
        return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def page(response) -> Page:
    """The response's HTML as a Page."""
    return Page(response.get_data(as_text=True))
