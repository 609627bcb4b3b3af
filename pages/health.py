"""GET /healthz: is the app up and can it reach its database?"""

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from extensions import db, limiter

bp = Blueprint("health", __name__)
# Platforms probe this often; no rate limit may ever apply to it.
limiter.exempt(bp)


@bp.get("/healthz")
def healthz():
    """Answer 200 with the database's state, or 503 when it cannot be reached."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
