"""`flask data ensure`: a fresh deployment fetches the campaigns' states once; one that has data keeps it.

The sources are loopback servers in the public formats; "offline" is a port nothing listens on.
"""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import func, select

from extensions import db
from models import District
from tests.support.public_sources import Upstream, rel_row, serve_massachusetts

ZIPS = {
    "upper": [rel_row("upper", "25D28", "02215", 3_500_000, 3_500_000)],
    "lower": [rel_row("lower", "25124", "02215", 3_500_000, 3_500_000)],
}


def closed_port() -> int:
    """A loopback port nothing listens on: connecting is refused at once, as when offline."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def offline_settings() -> dict[str, object]:
    base = f"http://127.0.0.1:{closed_port()}"
    return {
        "OPENSTATES_PEOPLE_URL": f"{base}/people.tar.gz",
        "CENSUS_REL_URL_SLDU": f"{base}/sldu_st{{fips}}.txt",
        "CENSUS_REL_URL_SLDL": f"{base}/sldl_st{{fips}}.txt",
        "DATA_REFRESH_TIMEOUT": 2.0,
    }


@pytest.fixture
def upstream(ma_data_dir, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    server = Upstream()
    serve_massachusetts(server, ma_data_dir, ZIPS)
    yield server
    server.close()


def ensure(app, *args: str):
    return app.test_cli_runner().invoke(args=["data", "ensure", *args])


def files(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_fresh_deployment_fetches_the_demo_campaigns_state_once_with_a_line_per_download(
    make_app, upstream, tmp_path, ma_data_dir
):
    root = tmp_path / "data"
    app = make_app(DATA_DIR=str(root), **upstream.settings())
    result = ensure(app)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"No data for MA in {root}: fetching it from the public sources (once)."
    assert [line.split(" ")[0] for line in lines if line.startswith("Downloading ")] == ["Downloading"] * 3
    assert (root / "ma" / "districts.csv").read_bytes() == (ma_data_dir / "districts.csv").read_bytes()

    again = ensure(app)  # the second run finds the data and downloads nothing
    assert again.exit_code == 0 and again.output == f"MA: data in {root / 'ma'}\n"
    assert len(upstream.paths) == 3
    load = app.test_cli_runner().invoke(args=["data", "load"])
    assert load.exit_code == 0, load.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(District)) == 200


def test_offline_a_fresh_deployment_stops_with_one_paragraph_saying_what_is_missing_and_how_to_provide_it(
    make_app, tmp_path
):
    root = tmp_path / "data"
    app = make_app(DATA_DIR=str(root), **offline_settings())
    result = ensure(app)
    assert result.exit_code == 1
    message = result.output.split("Error: ", 1)[1].strip()
    assert "\n" not in message  # one paragraph
    assert message.startswith(
        f"No legislator data for Massachusetts (MA): {root / 'ma'} holds no districts.csv, and fetching it from the "
        "public sources failed (http://127.0.0.1:"
    )
    assert "download failed (ConnectionError" in message
    assert (
        "Provide it in one of two ways: run the same command again where Open States (codeload.github.com) and the "
        "Census (www2.census.gov) can be reached, or run `flask data refresh --state ma --load` there; or set "
        "DATA_DIR to a folder that already holds ma/ (districts.csv, zcta_districts.csv and openstates/), such as a "
        "copy of another deployment's data folder. Nothing was changed."
    ) in message
    assert not root.exists() or files(root) == {}


def test_a_release_refreshes_the_data_it_has(make_app, upstream, tmp_path, ma_data_dir):
    root = tmp_path / "data"
    (root / "ma").mkdir(parents=True)
    (root / "ma" / "districts.csv").write_bytes((ma_data_dir / "districts.csv").read_bytes())
    app = make_app(DATA_DIR=str(root), **upstream.settings())

    assert ensure(app).output == f"MA: data in {root / 'ma'}\n" and upstream.paths == []  # make run: kept as it is
    result = ensure(app, "--refresh")
    assert result.exit_code == 0, result.output
    assert f"MA ({root / 'ma'}): refreshed" in result.output
    assert (root / "ma" / "zcta_districts.csv").exists()


def test_a_release_keeps_its_data_when_the_sources_are_down(make_app, tmp_path, ma_data_dir):
    root = tmp_path / "data"
    (root / "ma").mkdir(parents=True)
    for name in ("districts.csv", "zcta_districts.csv"):
        (root / "ma" / name).write_bytes((ma_data_dir / name).read_bytes())
    before = files(root)
    app = make_app(DATA_DIR=str(root), **offline_settings())
    result = ensure(app, "--refresh")
    assert result.exit_code == 0, result.output
    assert "warning: could not refresh MA (http://127.0.0.1:" in result.output
    assert f"; keeping the data in {root / 'ma'}" in result.output
    assert files(root) == before


def test_a_named_state_is_fetched_even_when_no_campaign_names_it(make_app, upstream, tmp_path):
    app = make_app(DATA_DIR=str(tmp_path / "data"), **upstream.settings())
    result = ensure(app, "--state", "xx")
    assert result.exit_code == 1
    assert "No legislator data for XX (XX)" in result.output
    assert "Open States' metadata knows no state 'XX'" in result.output
