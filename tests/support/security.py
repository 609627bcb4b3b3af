"""Test helpers: a stand-in supporter form wired exactly as the README tells the real form, and a fake
siteverify API."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

from flask import Blueprint, current_app, request
from sqlalchemy import select

from calls.planning import plan_call
from extensions import db
from models import Campaign
from phones import to_e164
from privacy import PhoneVault
from security.submissions import check_submission, client_ip, limit_submissions_per_ip, refusal_response, screen_form

form_bp = Blueprint("standin_form", __name__)


@form_bp.post("/standin/c/<slug>")
@limit_submissions_per_ip
def submit(slug: str):
    """The form's protections in the documented order, then a call."""
    if (decoy := screen_form(request.form)) is not None:
        return decoy
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    e164 = to_e164(request.form.get("phone", ""))
    if campaign is None or e164 is None:
        return "bad form", 422
    vault = PhoneVault(current_app.config["PHONE_HASH_KEY"], current_app.config["PHONE_ENCRYPTION_KEY"])
    refusal = check_submission(db.session, campaign, vault.hash(e164), client_ip())
    if refusal is not None:
        return refusal_response(refusal)
    call = plan_call(db.session, vault, campaign, e164, [])
    db.session.commit()
    delay = float(current_app.config.get("STANDIN_FORM_DELAY", 0))
    if delay:
        time.sleep(delay)  # lets concurrent requests overlap across gunicorn workers
    return {"call": call.public_id}, 201


class FakeSiteverify:
    """A siteverify API on 127.0.0.1 that answers by token: good, bad, slow, broken, internal."""

    def __init__(self, slow_seconds: float = 2.0) -> None:
        self.posts: list[dict[str, str]] = []
        self.slow_seconds = slow_seconds
        self._stop = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):
                """Quiet."""

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(parse_qsl(self.rfile.read(length).decode()))
                fake.posts.append(form)
                token = form.get("response", "")
                status, body = 200, {"success": False, "error-codes": ["invalid-input-response"]}
                if form.get("secret") != "test-secret":
                    body = {"success": False, "error-codes": ["invalid-input-secret"]}
                elif token == "good":
                    body = {
                        "success": True,
                        "error-codes": [],
                        "challenge_ts": "2024-01-01T00:00:00Z",
                        "hostname": "patchthrough.example.org",
                    }
                elif token == "slow":
                    fake._stop.wait(fake.slow_seconds)
                elif token == "broken":
                    status, body = 500, {"oops": True}
                elif token == "internal":
                    body = {"success": False, "error-codes": ["internal-error"]}
                payload = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        """The siteverify URL."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/siteverify"

    def __enter__(self) -> FakeSiteverify:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
