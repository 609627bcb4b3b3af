"""The optional CAPTCHA: Cloudflare Turnstile or hCaptcha, on when CAPTCHA_PROVIDER and both keys are set.

The browser widget puts a one-time token in the form; :func:`verify` asks the provider's siteverify
API whether it is good. A provider that is slow or down refuses politely: the form cannot tell a
bot from a person without it, and a few minutes' wait is better than an open door.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

import requests

log = logging.getLogger(__name__)


class CaptchaConfigError(RuntimeError):
    """The CAPTCHA settings are incomplete or name an unknown provider."""


@dataclass(frozen=True)
class Provider:
    """What differs between providers: where to verify, the token's form field, the widget and its CSP origins."""

    name: str
    verify_url: str
    response_field: str
    script_url: str
    widget_class: str
    csp: dict[str, tuple[str, ...]] = field(default_factory=dict)


PROVIDERS = {
    "turnstile": Provider(
        name="turnstile",
        verify_url="https://challenges.cloudflare.com/turnstile/v0/siteverify",
        response_field="cf-turnstile-response",
        script_url="https://challenges.cloudflare.com/turnstile/v0/api.js",
        widget_class="cf-turnstile",
        csp={"script-src": ("https://challenges.cloudflare.com",), "frame-src": ("https://challenges.cloudflare.com",)},
    ),
    "hcaptcha": Provider(
        name="hcaptcha",
        verify_url="https://api.hcaptcha.com/siteverify",
        response_field="h-captcha-response",
        script_url="https://js.hcaptcha.com/1/api.js",
        widget_class="h-captcha",
        csp=dict.fromkeys(
            ("script-src", "frame-src", "style-src", "connect-src"), ("https://hcaptcha.com", "https://*.hcaptcha.com")
        ),
    ),
}


@dataclass(frozen=True)
class CaptchaResult:
    """The verdict: ok, or why not ("missing", "rejected", "unavailable") with the provider's error codes."""

    ok: bool
    error: str | None = None
    codes: tuple[str, ...] = ()


def check_settings(config: Mapping) -> None:
    """Refuse to boot with half a CAPTCHA configuration: a form that silently lost its CAPTCHA is worse."""
    name = config.get("CAPTCHA_PROVIDER") or ""
    keys = (config.get("CAPTCHA_SITE_KEY"), config.get("CAPTCHA_SECRET_KEY"))
    if name and name not in PROVIDERS:
        raise CaptchaConfigError(f"CAPTCHA_PROVIDER must be one of {', '.join(PROVIDERS)}; got {name!r}")
    if name and not all(keys):
        raise CaptchaConfigError(f"CAPTCHA_PROVIDER={name} needs CAPTCHA_SITE_KEY and CAPTCHA_SECRET_KEY")
    if not name and any(keys):
        raise CaptchaConfigError("CAPTCHA keys are set but CAPTCHA_PROVIDER is not (turnstile or hcaptcha)")


def provider_for(config: Mapping) -> Provider | None:
    """The configured provider, or None when the CAPTCHA is off."""
    name = config.get("CAPTCHA_PROVIDER") or ""
    if name in PROVIDERS and config.get("CAPTCHA_SITE_KEY") and config.get("CAPTCHA_SECRET_KEY"):
        return PROVIDERS[name]
    return None


def verify(config: Mapping, form: Mapping[str, str], remote_ip: str | None) -> CaptchaResult:
    """Check the form's CAPTCHA token with the provider; always ok when the CAPTCHA is off."""
    provider = provider_for(config)
    if provider is None:
        return CaptchaResult(True)
    token = (form.get(provider.response_field) or "").strip()
    # Both providers' tokens are at most a few kB; anything longer is not one.
    if not token or len(token) > 4096:
        return CaptchaResult(False, "missing")
    data = {"secret": config["CAPTCHA_SECRET_KEY"], "response": token}
    if remote_ip:
        data["remoteip"] = remote_ip
    url = config.get("CAPTCHA_VERIFY_URL") or provider.verify_url
    try:
        response = requests.post(url, data=data, timeout=float(config.get("CAPTCHA_TIMEOUT") or 5))
        response.raise_for_status()
        body = response.json()
    except (requests.RequestException, ValueError) as exc:
        log.warning("CAPTCHA verification unavailable (%s)", type(exc).__name__)
        return CaptchaResult(False, "unavailable")
    codes = tuple(str(c) for c in body.get("error-codes") or ()) if isinstance(body, dict) else ()
    if isinstance(body, dict) and body.get("success") is True:
        return CaptchaResult(True, codes=codes)
    # The provider's own trouble is not the supporter's failure.
    if any(code in {"internal-error", "internal_error"} for code in codes):
        return CaptchaResult(False, "unavailable", codes)
    return CaptchaResult(False, "rejected", codes)
