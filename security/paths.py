"""Malformed URLs end at a 404 before any route sees them.

A NUL byte would otherwise reach the database (PostgreSQL refuses it, which looked like an outage)
and a newline would reach the logs (a forged log line). No URL of ours contains a control character.
"""

from __future__ import annotations

import re

from flask import Flask, abort, request

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def malformed(path: str) -> bool:
    """True when a decoded request path holds a control character (NUL, newline, tab, DEL…)."""
    return CONTROL_CHARACTERS.search(path) is not None


def init_app(app: Flask) -> None:
    """Answer 404 for a request whose path holds a control character."""

    @app.before_request
    def _refuse_malformed_paths() -> None:
        if malformed(request.path):
            abort(404)
