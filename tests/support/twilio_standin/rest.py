"""A fake Twilio REST API (the Calls resource, and Messages for texts) on 127.0.0.1 for tests.

Behaves like api.twilio.com for what our dialer uses: HTTP Basic auth,
form-encoded ``POST /2010-04-01/Accounts/{AccountSid}/Calls.json`` with
Twilio's validation errors, a Twilio-shaped Call JSON reply, and
``GET .../Calls/{Sid}.json``, ``POST .../Calls/{Sid}.json`` (redirect a live call to a new Url,
or end it), and the ``GET .../Calls.json`` list (To/From/Status filters).
Tests can program faults (429/500/503, slow replies) and read back every request.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from voicesim.vocabulary import (
    API_VERSION,
    ASYNC_AMD_VALUES,
    FINAL_STATUSES,
    MACHINE_DETECTION_MODES,
    STATUS_CALLBACK_EVENTS,
    new_sid,
    rfc2822,
)

from .messages import MESSAGES_PATH, create_message

E164 = re.compile(r"^\+[1-9]\d{1,14}$")
_CALLS = re.compile(r"^/2010-04-01/Accounts/(?P<account>[^/]+)/Calls\.json$")
_CALL = re.compile(r"^/2010-04-01/Accounts/(?P<account>[^/]+)/Calls/(?P<sid>[^/]+)\.json$")

# Default messages Twilio uses with these codes.
_FAULT_MESSAGES = {
    429: (20429, "Too Many Requests"),
    500: (20500, "Internal Server Error"),
    503: (20503, "Service Unavailable"),
}


def error_body(status: int, code: int, message: str) -> dict[str, Any]:
    """Twilio's REST error JSON: code, message, more_info, status."""
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def us_formatted(number: str) -> str:
    """Format a +1 number the way Twilio fills to_formatted/from_formatted."""
    if number.startswith("+1") and len(number) == 12:
        return f"({number[2:5]}) {number[5:8]}-{number[8:]}"
    return number


@dataclass(frozen=True)
class RecordedRequest:
    """One request the stand-in received."""

    method: str
    path: str
    query: str
    form: tuple[tuple[str, str], ...]
    headers: dict[str, str]
    auth: tuple[str, str] | None
    status: int = 0  # what the stand-in answered

    @property
    def params(self) -> dict[str, str]:
        """Form parameters (last value wins for repeated names)."""
        return dict(self.form)

    def all(self, name: str) -> list[str]:
        """Every value of a repeated form parameter (e.g. StatusCallbackEvent)."""
        return [v for k, v in self.form if k == name]


@dataclass
class _Fault:
    status: int | None = None  # answer with this error status
    code: int | None = None
    message: str | None = None
    delay: float = 0.0  # sleep before answering (after processing the request)


def call_resource(account: str, sid: str, from_: str, to: str, direction: str, status: str) -> dict[str, Any]:
    """A Call resource as Twilio's REST API returns it."""
    now = rfc2822(datetime.now(UTC))
    base = f"/{API_VERSION}/Accounts/{account}/Calls/{sid}"
    resource = {
        "account_sid": account,
        "annotation": None,
        "answered_by": None,
        "api_version": API_VERSION,
        "caller_name": None,
        "date_created": now,
        "date_updated": now,
        "direction": direction,
        "duration": None,
        "end_time": None,
        "forwarded_from": None,
        "from": from_,
        "from_formatted": us_formatted(from_),
        "group_sid": None,
        "parent_call_sid": None,
        "phone_number_sid": new_sid("PN"),
        "price": None,
        "price_unit": "USD",
        "queue_time": "0",
        "sid": sid,
        "start_time": None,
        "status": status,
        "subresource_uris": {
            "notifications": f"{base}/Notifications.json",
            "recordings": f"{base}/Recordings.json",
            "payments": f"{base}/Payments.json",
            "events": f"{base}/Events.json",
            "siprec": f"{base}/Siprec.json",
            "streams": f"{base}/Streams.json",
            "transcriptions": f"{base}/Transcriptions.json",
            "user_defined_message_subscriptions": f"{base}/UserDefinedMessageSubscriptions.json",
            "user_defined_messages": f"{base}/UserDefinedMessages.json",
        },
        "to": to,
        "to_formatted": us_formatted(to),
        "trunk_sid": None,
        "uri": f"{base}.json",
    }
    return resource


@dataclass
class CreatedCall:
    """A call created through the stand-in: its JSON resource and the create params."""

    resource: dict[str, Any]
    form: tuple[tuple[str, str], ...]
    # time.monotonic() when the call was created, for measuring the pace calls arrive at.
    created_at: float = field(default_factory=time.monotonic)
    # Every accepted update of the live call (its form parameters), in order.
    updates: list[dict[str, str]] = field(default_factory=list)

    @property
    def sid(self) -> str:
        """The CallSid."""
        return str(self.resource["sid"])

    @property
    def params(self) -> dict[str, str]:
        """Create parameters (last value wins)."""
        return dict(self.form)

    def all(self, name: str) -> list[str]:
        """Every value of a repeated create parameter."""
        return [v for k, v in self.form if k == name]


class FakeTwilioRest:
    """Fake api.twilio.com on 127.0.0.1: use as a context manager, read ``base_url``."""

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        owned_numbers: tuple[str, ...] | list[str] = (),
        on_call_created: Callable[[CreatedCall], None] | None = None,
        create_latency: float = 0.0,
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.owned_numbers = set(owned_numbers)
        # Called in the server thread after the 201 reply has been written,
        # like Twilio placing the call asynchronously after accepting it.
        self.on_call_created = on_call_created
        # Seconds every ``calls.create`` takes before the call exists (Twilio's takes a few hundred ms):
        # while it runs, nothing is listed for the number yet.
        self.create_latency = create_latency
        self.requests: list[RecordedRequest] = []
        self.calls: dict[str, CreatedCall] = {}
        self.messages: list[dict[str, Any]] = []  # texts accepted, in order
        self.hook_errors: list[BaseException] = []
        self._faults: deque[_Fault] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------

    def start(self) -> FakeTwilioRest:
        """Start serving on 127.0.0.1 on a free port in a background thread."""
        if self._server is not None:
            raise RuntimeError("already started")
        server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        server.daemon_threads = True
        self._server = server
        # A short poll interval keeps shutdown() (and so each test) fast.
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-twilio-rest", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and wake any request sleeping in a programmed delay."""
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeTwilioRest:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT — pass to make_client(api_base_url=...)."""
        if self._server is None:
            raise RuntimeError("not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- programmable faults ----------------------------------------------------

    def fail_next(self, count: int = 1, status: int = 429, code: int | None = None, message: str | None = None) -> None:
        """Answer the next ``count`` API requests with an error (429→20429, 500, 503 by default)."""
        default_code, default_message = _FAULT_MESSAGES.get(status, (status, "Error"))
        with self._lock:
            for _ in range(count):
                self._faults.append(
                    _Fault(status=status, code=code or default_code, message=message or default_message)
                )

    def delay_next(self, count: int = 1, seconds: float = 1.0) -> None:
        """Answer the next ``count`` requests only after ``seconds``.

        The request is still processed first (the call is created), which is
        what a slow Twilio does: a client that times out cannot know whether
        the call was placed.
        """
        with self._lock:
            for _ in range(count):
                self._faults.append(_Fault(delay=seconds))

    def _take_fault(self) -> _Fault | None:
        with self._lock:
            return self._faults.popleft() if self._faults else None

    # -- request handling ---------------------------------------------------------

    def _auth_ok(self, auth: tuple[str, str] | None, path_account: str) -> bool:
        return auth == (self.account_sid, self.auth_token) and path_account == self.account_sid

    def handle(
        self, method: str, path: str, form: list[tuple[str, str]], auth: tuple[str, str] | None, query: str = ""
    ) -> tuple[int, dict[str, Any], dict[str, str], CreatedCall | None]:
        """Route one request: returns (status, JSON body, extra headers, created call)."""
        calls_match = _CALLS.match(path)
        call_match = _CALL.match(path)
        messages_match = MESSAGES_PATH.match(path)
        match = calls_match or call_match or messages_match
        if match is None:
            return 404, error_body(404, 20404, f"The requested resource {path} was not found"), {}, None
        if not self._auth_ok(auth, match["account"]):
            # Twilio answers 401 with a Basic challenge and code 20003.
            return 401, error_body(401, 20003, "Authenticate"), {"WWW-Authenticate": 'Basic realm="Twilio API"'}, None
        if call_match and method == "GET":
            with self._lock:
                call = self.calls.get(call_match["sid"])
            if call is None:
                return 404, error_body(404, 20404, f"The requested resource {path} was not found"), {}, None
            return 200, call.resource, {}, None
        if call_match and method == "POST":
            return self._update_call(call_match["sid"], path, form)
        if messages_match and method == "POST":
            status, message = create_message(messages_match["account"], dict(form), self.owned_numbers, error_body)
            if status == 201:
                with self._lock:
                    self.messages.append(message)
            return status, message, {}, None
        if calls_match and method == "POST":
            return self._create_call(calls_match["account"], form)
        if calls_match and method == "GET":
            return 200, self._list_calls(path, dict(parse_qsl(query))), {}, None
        return 405, error_body(405, 20004, "Method not allowed"), {}, None

    def _create_call(
        self, account: str, form: list[tuple[str, str]]
    ) -> tuple[int, dict[str, Any], dict[str, str], CreatedCall | None]:
        params = dict(form)
        to, from_ = params.get("To", ""), params.get("From", "")
        if not to:
            return 400, error_body(400, 21201, "No 'To' number is specified"), {}, None
        if not from_:
            return 400, error_body(400, 21213, "No 'From' number is specified"), {}, None
        if not any(params.get(k) for k in ("Url", "Twiml", "ApplicationSid")):
            return 400, error_body(400, 21205, "Url parameter is required."), {}, None
        if not E164.match(to):
            return 400, error_body(400, 21211, f"Invalid 'To' Phone Number: {to}"), {}, None
        if not E164.match(from_):
            return 400, error_body(400, 21212, f"Invalid From Number (caller ID): {from_}"), {}, None
        if from_ not in self.owned_numbers:
            return (
                400,
                error_body(
                    400,
                    21210,
                    f"The source phone number provided, {from_}, is not yet verified for your account. "
                    "You may only make calls from phone numbers that you've verified or purchased from Twilio.",
                ),
                {},
                None,
            )
        url = params.get("Url")
        if url:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                return 400, error_body(400, 21205, f"Url is not a valid URL: {url}"), {}, None
        for name in ("Method", "StatusCallbackMethod", "FallbackMethod", "AsyncAmdStatusCallbackMethod"):
            if name in params and params[name].upper() not in ("GET", "POST"):
                return 400, error_body(400, 21200, f"{name} must be GET or POST"), {}, None
        if "MachineDetection" in params and params["MachineDetection"] not in MACHINE_DETECTION_MODES:
            return 400, error_body(400, 21200, f"Invalid MachineDetection: {params['MachineDetection']}"), {}, None
        if "AsyncAmd" in params and params["AsyncAmd"] not in ASYNC_AMD_VALUES:
            return 400, error_body(400, 21200, f"Invalid AsyncAmd: {params['AsyncAmd']}"), {}, None
        events = [v for k, v in form if k == "StatusCallbackEvent"]
        bad = [e for e in events if e not in STATUS_CALLBACK_EVENTS]
        if bad:
            return 400, error_body(400, 21200, f"Invalid StatusCallbackEvent: {bad[0]}"), {}, None
        sid = new_sid("CA")
        resource = call_resource(account, sid, from_, to, direction="outbound-api", status="queued")
        call = CreatedCall(resource=resource, form=tuple(form))
        with self._lock:
            self.calls[sid] = call
        return 201, resource, {}, call

    def _update_call(
        self, sid: str, path: str, form: list[tuple[str, str]]
    ) -> tuple[int, dict[str, Any], dict[str, str], CreatedCall | None]:
        """Twilio's call update: a new Url for a live call (a redirect), or Status=completed to end it."""
        params = dict(form)
        url = params.get("Url")
        if url:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                return 400, error_body(400, 21205, f"Url is not a valid URL: {url}"), {}, None
        with self._lock:
            call = self.calls.get(sid)
            if call is None:
                return 404, error_body(404, 20404, f"The requested resource {path} was not found"), {}, None
            if call.resource["status"] in FINAL_STATUSES:
                return 400, error_body(400, 21220, "Call is not in-progress. Cannot redirect."), {}, None
            call.updates.append(params)
            if params.get("Status") in ("completed", "canceled"):
                call.resource["status"] = params["Status"]
            call.resource["date_updated"] = rfc2822(datetime.now(UTC))
            return 200, call.resource, {}, None

    def _list_calls(self, path: str, filters: dict[str, str]) -> dict[str, Any]:
        """Twilio's Calls list page: newest first, filtered by To, From and Status."""
        page_size = max(1, min(1000, int(filters.get("PageSize", "50") or 50)))
        with self._lock:
            calls = [c.resource for c in reversed(list(self.calls.values()))]
        for name, key in (("To", "to"), ("From", "from"), ("Status", "status")):
            if filters.get(name):
                calls = [c for c in calls if c[key] == filters[name]]
        page = calls[:page_size]
        uri = f"{path}?PageSize={page_size}&Page=0"
        return {
            "calls": page,
            "start": 0,
            "end": max(0, len(page) - 1),
            "page": 0,
            "page_size": page_size,
            "uri": uri,
            "first_page_uri": uri,
            "next_page_uri": None,
            "previous_page_uri": None,
        }

    def _record(self, req: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(req)

    def receive_call(self, from_: str, to: str) -> str:
        """Someone dials one of the account's numbers: Twilio holds an inbound call, in progress; returns its sid."""
        sid = new_sid("CA")
        resource = call_resource(self.account_sid, sid, from_, to, direction="inbound", status="in-progress")
        with self._lock:
            self.calls[sid] = CreatedCall(resource=resource, form=())
        return sid

    def set_status(self, sid: str, status: str, duration: int | None = None) -> None:
        """Update a created call's status (e.g. after the simulated call ends)."""
        with self._lock:
            call = self.calls[sid]
            call.resource["status"] = status
            call.resource["date_updated"] = rfc2822(datetime.now(UTC))
            if duration is not None:
                call.resource["duration"] = str(duration)

    def created(self) -> list[CreatedCall]:
        """Calls created so far, in order."""
        with self._lock:
            return list(self.calls.values())


def _parse_basic(header: str | None) -> tuple[str, str] | None:
    if not header or not header.startswith("Basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return user, password


def _make_handler(fake: FakeTwilioRest) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "FakeTwilio/1.0"

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8") if length else ""
            form = parse_qsl(raw, keep_blank_values=True)
            auth = _parse_basic(self.headers.get("Authorization"))
            fault = fake._take_fault()
            created: CreatedCall | None = None
            if fake.create_latency and self.command == "POST" and _CALLS.match(parts.path):
                fake._stopping.wait(fake.create_latency)
            if fault is not None and fault.status is not None:
                status = fault.status
                body: dict[str, Any] = error_body(status, fault.code or status, fault.message or "Error")
                extra: dict[str, str] = {}
            else:
                status, body, extra, created = fake.handle(self.command, parts.path, form, auth, parts.query)
            fake._record(
                RecordedRequest(
                    method=self.command,
                    path=parts.path,
                    query=parts.query,
                    form=tuple(form),
                    headers=dict(self.headers.items()),
                    auth=auth,
                    status=status,
                )
            )
            if fault is not None and fault.delay:
                # Event.wait so stop() can cut the sleep short.
                fake._stopping.wait(fault.delay)
            payload = json.dumps(body).encode("utf-8")
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return  # the client gave up (timeout); the call exists anyway
            if created is not None and fake.on_call_created is not None:
                try:
                    fake.on_call_created(created)
                except BaseException as exc:  # surfaced to the test via hook_errors
                    fake.hook_errors.append(exc)

        do_GET = _serve
        do_POST = _serve
        do_DELETE = _serve

    return Handler
