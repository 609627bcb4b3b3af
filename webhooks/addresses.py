"""Which endpoint URLs may be posted to: http(s) on a public address, checked again at each delivery. No Flask.

A URL whose name resolves to a private, loopback, link-local, reserved or otherwise non-global
address is refused, so an endpoint cannot make the service reach into its own network. Delivery
connects to the very address checked here (never resolving again), so a name that changes its
answer between the check and the connection (DNS rebinding) gains nothing.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from languages import N_

MAX_URL = 500


class AddressRefused(ValueError):
    """The URL is malformed or points where webhooks may not go; the message says why."""


@dataclass(frozen=True)
class Destination:
    """Where one delivery goes: the URL's parts and the checked address to connect to."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of an http(s) URL with a host; AddressRefused otherwise."""
    if len(url) > MAX_URL:
        raise AddressRefused(N_("The URL is longer than %(count)s characters.", count=MAX_URL))
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise AddressRefused(N_("That is not a URL.")) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused(N_("The URL must start with https:// (or http://) and name a host."))
    if parts.username or parts.password:
        raise AddressRefused(N_("The URL must not carry a user name or password; the signature authenticates us."))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path


def resolve(url: str, allow_private: bool) -> Destination:
    """The URL's destination on an address it may reach; AddressRefused when none or any is forbidden."""
    scheme, host, port, path = check_url(url)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise AddressRefused(N_("The name %(host)s does not resolve.", host=host)) from None
    addresses = [str(info[4][0]).split("%", 1)[0] for info in found]
    if not allow_private:
        for address in addresses:
            ip = ipaddress.ip_address(address)
            mapped = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else None
            if not (mapped or ip).is_global:
                raise AddressRefused(
                    N_("%(host)s resolves to %(address)s, a private or reserved address.", host=host, address=address)
                )
    return Destination(scheme, host, port, path, addresses[0])
