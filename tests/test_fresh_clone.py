"""`make run` in a clone with no data folder beside it: one command to a served campaign page, or one clear paragraph.

The checkout's files are copied to a temporary folder with no `../shared/data` beside it; the
shared virtualenv is reused (VENV=…, with a fresh stamp so nothing is installed). The public
sources are a loopback server in their formats, or a port nothing listens on ("offline").
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.support.public_sources import Upstream, rel_row, serve_massachusetts

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def clone(tmp_path) -> Path:
    """The checkout's files (tracked and new, not ignored) in a folder with nothing beside it."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    target = tmp_path / "fresh" / "patchthrough"
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / name)
    assert not (target / "data").exists() and not (target.parent / "shared").exists()
    return target


def make_env(clone: Path, sources: dict[str, str], port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATA_DIR", "DATABASE_URL", "FLASK_"))}
    return (
        env | sources | {"PORT": str(port), "WEB_CONCURRENCY": "1", "NO_PROXY": "127.0.0.1", "APP_ENV": "development"}
    )


def make_args(clone: Path) -> list[str]:
    stamp = clone / ".stamp"
    stamp.touch()  # newer than requirements.txt: the shared virtualenv is used as it is
    return ["make", "--no-print-directory", "run", f"VENV={VENV}", f"STAMP={stamp}"]


def test_offline_make_run_stops_with_the_paragraph_and_serves_nothing(clone):
    closed = f"http://127.0.0.1:{free_port()}"
    sources = {
        "OPENSTATES_PEOPLE_URL": f"{closed}/people.tar.gz",
        "CENSUS_REL_URL_SLDU": f"{closed}/sldu{{fips}}.txt",
        "CENSUS_REL_URL_SLDL": f"{closed}/sldl{{fips}}.txt",
    }
    done = subprocess.run(
        make_args(clone),
        cwd=clone,
        env=make_env(clone, sources, free_port()),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0
    assert "Serving on" not in done.stdout
    paragraph = next(line for line in done.stderr.splitlines() if line.startswith("Error: No legislator data"))
    assert paragraph.startswith(
        f"Error: No legislator data for Massachusetts (MA): {clone / 'data' / 'ma'} holds no districts.csv"
    )
    assert "Provide it in one of two ways" in paragraph and paragraph.endswith("Nothing was changed.")
    assert not (clone / "data" / "ma").exists()


def test_online_make_run_fetches_the_demo_state_once_and_serves_the_campaign_page(clone, ma_data_dir):
    upstream = Upstream()
    serve_massachusetts(
        upstream,
        ma_data_dir,
        {
            "upper": [rel_row("upper", "25D28", "02215", 3_500_000, 3_500_000)],
            "lower": [rel_row("lower", "25124", "02215", 3_500_000, 3_500_000)],
        },
    )
    sources = {k: str(v) for k, v in upstream.settings().items()}
    port = free_port()
    log = clone.parent / "make-run.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            make_args(clone),
            cwd=clone,
            env=make_env(clone, sources, port),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        page = None
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and server.poll() is None:
            try:
                response = requests.get(f"http://127.0.0.1:{port}/", timeout=10)
                if response.status_code == 200:
                    page = response.text
                    break
            except requests.RequestException:  # not listening yet, or the worker still starting
                pass
            time.sleep(0.5)
        output = log.read_text()
        assert page is not None, output
        assert "Call your state legislators today to protect immigrant families" in page
        assert "connect you to your state senator and your state representative." in page
        assert "No data for MA in" in output and output.count("Downloading http://127.0.0.1:") == 3
        assert (clone / "data" / "ma" / "districts.csv").read_bytes() == (ma_data_dir / "districts.csv").read_bytes()
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # make and the gunicorn it started: this test's own process group
        server.wait(30)
        upstream.close()
