"""axe-core, from npm (package.json; `make test` installs it), run on the page a browser test is looking at."""

from __future__ import annotations

from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA, the level the stylesheet promises.
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@cache
def _source() -> str:
    assert AXE.exists(), f"axe-core is missing: run `npm ci` in {ROOT} (make test does)"
    return AXE.read_text()


def axe_violations(page) -> list[str]:
    """Every axe-core violation on the page as "rule: target" lines; an empty list when there are none."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Through the DevTools protocol, so the page's Content-Security-Policy does not apply to it.
        page.evaluate(_source() + "\n;undefined")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        RULES,
    )
    return [
        f"{violation['id']}: {' '.join(str(t) for node in violation['nodes'] for t in node['target'])}"
        for violation in result["violations"]
    ]
