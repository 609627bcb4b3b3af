"""The deployment files agree with the code: every setting is documented, the Procfile runs what exists."""

from __future__ import annotations

import json
import re
from pathlib import Path

from config import REQUIRED_IN_PRODUCTION

ROOT = Path(__file__).resolve().parent.parent
SETTING = re.compile(r'(?:env\.get|secret)\("([A-Z_]+)"')


def settings_read_by_config() -> set[str]:
    return set(SETTING.findall((ROOT / "config.py").read_text()))


def test_every_setting_is_listed_in_env_example_and_the_readme():
    listed = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    readme = (ROOT / "README.md").read_text()
    settings = settings_read_by_config()
    assert settings - listed == set()
    assert {s for s in settings if f"`{s}`" not in readme} == set()


def test_app_json_asks_for_what_production_requires():
    manifest = json.loads((ROOT / "app.json").read_text())
    env = manifest["env"]
    assert set(REQUIRED_IN_PRODUCTION) - {"DATABASE_URL"} <= set(env)
    assert env["APP_ENV"]["value"] == "production"
    assert any(addon["plan"].startswith("heroku-postgresql") for addon in manifest["addons"])
    assert set(env) <= settings_read_by_config() | {"WEB_CONCURRENCY"}


def test_procfile_migrates_on_release_and_serves_app_with_gunicorn():
    lines = dict(line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip())
    assert "db upgrade" in lines["release"] and "data load" in lines["release"] and "campaign load" in lines["release"]
    assert lines["web"].split()[:2] == ["gunicorn", "app:app"]
    assert "WEB_CONCURRENCY" in lines["web"]
    assert "dialer worker" in lines["worker"]


def test_python_version_is_pinned_and_requirements_are_pinned():
    assert re.fullmatch(r"3\.\d+\.\d+\n?", (ROOT / ".python-version").read_text())
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            assert "==" in line, line
