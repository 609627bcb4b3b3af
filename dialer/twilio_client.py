"""Build a twilio REST ``Client`` that can talk to a different API origin.

Used for a regional proxy or the local Twilio stand-in in tests: every REST
request the library makes (api.twilio.com, lookups.twilio.com, ...) goes to
``api_base_url`` instead, keeping the path, query, auth and timeouts the
library would use.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

# Twilio's documented webhook/API patience is in the seconds range; a call
# request that takes longer than this is better treated as failed.
DEFAULT_TIMEOUT = 10.0


class OriginRewritingHttpClient(TwilioHttpClient):
    """TwilioHttpClient that sends every request to another scheme://host[:port][/prefix]."""

    def __init__(self, api_base_url: str, **kwargs: Any) -> None:
        parts = urlsplit(api_base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"api_base_url must be an absolute http(s) URL, got {api_base_url!r}")
        if parts.query or parts.fragment:
            raise ValueError("api_base_url must not have a query or fragment")
        self.api_base_url = api_base_url
        self._scheme = parts.scheme
        self._netloc = parts.netloc
        # A proxy mounted under a path (https://proxy/twilio) keeps that prefix.
        self._prefix = parts.path.rstrip("/")
        super().__init__(**kwargs)

    def rewrite(self, url: str) -> str:
        """The URL the request really goes to: our origin, the library's path and query."""
        parts = urlsplit(url)
        return urlunsplit((self._scheme, self._netloc, self._prefix + parts.path, parts.query, parts.fragment))

    def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        """Same as TwilioHttpClient.request, sent to the rewritten URL."""
        return super().request(
            method,
            self.rewrite(url),
            params=params,
            data=data,
            headers=headers,
            auth=auth,
            timeout=timeout,
            allow_redirects=allow_redirects,
        )


def make_client(
    account_sid: str,
    auth_token: str,
    api_base_url: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Client:
    """A twilio ``Client``; with ``api_base_url`` every REST request goes to that origin."""
    if timeout <= 0:
        raise ValueError("timeout must be positive")
    if api_base_url:
        http_client: TwilioHttpClient = OriginRewritingHttpClient(api_base_url, timeout=timeout)
    else:
        http_client = TwilioHttpClient(timeout=timeout)
    return Client(account_sid, auth_token, http_client=http_client)


def client_from_config(config: Mapping[str, Any]) -> Client:
    """The app's client: its TWILIO_* account, API origin and timeout."""
    return make_client(
        config["TWILIO_ACCOUNT_SID"],
        config["TWILIO_AUTH_TOKEN"],
        config.get("TWILIO_API_BASE_URL") or None,
        timeout=float(config.get("TWILIO_TIMEOUT") or DEFAULT_TIMEOUT),
    )
