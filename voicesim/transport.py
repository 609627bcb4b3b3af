"""How the stand-in reaches the app: transports (real HTTP or in-process WSGI) and Twilio-signed webhooks.

A webhook is signed exactly like Twilio signs it (``X-Twilio-Signature`` over the public URL
and the sorted parameters) and sent with Twilio's headers.
"""

from __future__ import annotations

import http.cookiejar
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit

import requests
from twilio.request_validator import RequestValidator
from werkzeug.test import Client as WerkzeugClient

from voicesim.errors import TwiMLError
from voicesim.vocabulary import SIGNATURE_HEADER

# What Twilio's webhook fetcher identifies itself as.
USER_AGENT = "TwilioProxy/1.1"


@dataclass(frozen=True)
class HttpResult:
    """What a webhook answered: status, media type, raw body and headers."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def media_type(self) -> str:
        """The content type without parameters, lower-cased ("text/xml")."""
        return self.content_type.split(";", 1)[0].strip().lower()

    def header_values(self, name: str) -> list[str]:
        """All values of a (case-insensitive) response header."""
        lname = name.lower()
        return [v for k, v in self.headers if k.lower() == lname]


class Transport(Protocol):
    """Sends one HTTP request to an absolute URL and returns the reply."""

    def send(
        self,
        method: str,
        url: str,
        form: Mapping[str, str] | None,
        headers: Mapping[str, str],
    ) -> HttpResult:
        """Send ``form`` (POST body, or None for GET) with ``headers`` to ``url``."""
        ...


class RequestsTransport:
    """Transport over real HTTP using ``requests`` (for a live server on 127.0.0.1)."""

    def __init__(self, timeout: float = 15.0, session: requests.Session | None = None) -> None:
        # Twilio's default webhook timeout is 15 s.
        self.timeout = timeout
        self.session = session or requests.Session()
        # Cookies belong to one simulated call (kept in SimCallState), never to
        # the session, otherwise they would leak between simulated calls.
        self.session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))

    def send(
        self,
        method: str,
        url: str,
        form: Mapping[str, str] | None,
        headers: Mapping[str, str],
    ) -> HttpResult:
        """Send the request with ``requests``; connection problems become TwiMLError 11205."""
        try:
            resp = self.session.request(
                method,
                url,
                data=dict(form) if form is not None else None,
                headers=dict(headers),
                timeout=self.timeout,
                allow_redirects=False,  # redirects are followed by the simulator, like Twilio
            )
        except requests.RequestException as exc:
            raise TwiMLError(f"HTTP connection failure: {exc}", code=11205, url=url) from exc
        raw_headers = getattr(resp.raw, "headers", None)
        if raw_headers is not None and hasattr(raw_headers, "items"):
            header_pairs = tuple((str(k), str(v)) for k, v in raw_headers.items())
        else:
            header_pairs = tuple(resp.headers.items())
        return HttpResult(
            status=resp.status_code,
            content_type=resp.headers.get("Content-Type", ""),
            body=resp.content,
            headers=header_pairs,
        )

    def close(self) -> None:
        """Close the underlying requests session."""
        self.session.close()


class WSGITransport:
    """Transport that calls a WSGI app in-process while the app sees the public URL.

    The scheme and host of the absolute URL are passed as werkzeug's base_url so
    ``request.url`` inside the app equals the URL Twilio signed.
    """

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app

    def send(
        self,
        method: str,
        url: str,
        form: Mapping[str, str] | None,
        headers: Mapping[str, str],
    ) -> HttpResult:
        """Run the request through the WSGI app with werkzeug's test client."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise TwiMLError(f"not an absolute http(s) URL: {url!r}", code=11100, url=url)
        # Cookies live in SimCallState; the test client must not keep its own.
        client = WerkzeugClient(self.app, use_cookies=False)
        resp = client.open(
            path=parts.path or "/",
            base_url=f"{parts.scheme}://{parts.netloc}",
            query_string=parts.query,
            method=method,
            data=dict(form) if form is not None else None,
            headers=list(headers.items()),
        )
        try:
            body = resp.get_data()
            return HttpResult(
                status=resp.status_code,
                content_type=resp.headers.get("Content-Type", ""),
                body=body,
                headers=tuple(resp.headers.items()),
            )
        finally:
            resp.close()


# --------------------------------------------------------------------------
# Signing and webhook requests
# --------------------------------------------------------------------------


def sign(auth_token: str, url: str, params: Mapping[str, str] | None) -> str:
    """X-Twilio-Signature for a request: HMAC-SHA1 of URL + sorted params, base64."""
    return RequestValidator(auth_token).compute_signature(url, dict(params or {}))


def webhook_headers(auth_token: str, url: str, params: Mapping[str, str] | None) -> dict[str, str]:
    """The headers Twilio sends with a webhook, including the signature."""
    headers = {
        SIGNATURE_HEADER: sign(auth_token, url, params),
        "User-Agent": USER_AGENT,
        "Accept": "*/*",
        "Cache-Control": "max-age=259200",
    }
    if params is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    return headers


@dataclass(frozen=True)
class WebhookRequest:
    """One request Twilio would send: where, how, and which parameters."""

    url: str
    method: str
    params: dict[str, str]


def send_webhook(
    transport: Transport,
    auth_token: str,
    request: WebhookRequest,
    cookies: Mapping[str, str] | None = None,
) -> HttpResult:
    """Sign and send one webhook the way Twilio does (GET puts params in the query)."""
    method = request.method.upper()
    if method == "GET":
        # Twilio signs the full URL including the appended query, with no body params.
        url = _append_query(request.url, request.params)
        headers = webhook_headers(auth_token, url, None)
        form = None
    else:
        url = request.url
        headers = webhook_headers(auth_token, url, request.params)
        form = request.params
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    return transport.send(method, url, form, headers)


def _append_query(url: str, params: Mapping[str, str]) -> str:
    if not params:
        return url
    sep = "&" if urlsplit(url).query else ("" if url.endswith("?") else "?")
    return f"{url}{sep}{urlencode(list(params.items()))}"
