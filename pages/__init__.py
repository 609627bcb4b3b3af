"""The supporter-facing pages."""

from flask import Blueprint

bp = Blueprint("pages", __name__)

from pages import campaign_page  # noqa: E402,F401  (registers the routes)
