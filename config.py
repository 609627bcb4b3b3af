"""Every setting, read from the environment in one place."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

from languages.voices import Voice, parse_voices
from phones.hours import CallHours, parse_call_hours

ROOT = Path(__file__).resolve().parent
INSTANCE_DIR = ROOT / "instance"

# Public sources `flask data refresh` downloads from. The Census URLs name the state by its FIPS
# code through `{fips}` ("25" for Massachusetts); a national file (no `{fips}`) works too.
OPENSTATES_PEOPLE_URL = "https://codeload.github.com/openstates/people/tar.gz/refs/heads/main"
CENSUS_REL_BASE = "https://www2.census.gov/geo/docs/maps-data/data/rel2020/cd-sld"
CENSUS_REL_URL_SLDU = CENSUS_REL_BASE + "/tab20_sldu202420_zcta520_st{fips}.txt"
CENSUS_REL_URL_SLDL = CENSUS_REL_BASE + "/tab20_sldl202420_zcta520_st{fips}.txt"

# Settings a production deployment must provide; a local run makes do without them.
REQUIRED_IN_PRODUCTION = ("SECRET_KEY", "DATABASE_URL", "PUBLIC_BASE_URL", "PHONE_HASH_KEY", "PHONE_ENCRYPTION_KEY")


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the message says which and why."""


def database_url(raw: str | None) -> str:
    """Return a SQLAlchemy URL: the embedded SQLite default, or the given one with PaaS spelling fixed."""
    if not raw:
        INSTANCE_DIR.mkdir(exist_ok=True)
        return f"sqlite:///{INSTANCE_DIR / 'patchthrough.sqlite3'}"
    # Heroku-style platforms still hand out postgres://, which SQLAlchemy 2 refuses.
    if raw.startswith("postgres://"):
        return "postgresql://" + raw[len("postgres://") :]
    return raw


def default_data_dir() -> str:
    """The shared public data folder beside the checkout, when it exists."""
    candidate = ROOT.parent / "shared" / "data"
    return str(candidate) if candidate.is_dir() else str(ROOT / "data")


def _local_secret(name: str, nbytes: int = 32) -> str:
    """Read or create a secret kept under instance/ so local runs stay stable across restarts."""
    INSTANCE_DIR.mkdir(exist_ok=True)
    path = INSTANCE_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(nbytes))
        path.chmod(0o600)
    return path.read_text().strip()


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _call_hours(text: str) -> CallHours:
    try:
        return parse_call_hours(text)
    except ValueError as exc:
        raise ConfigError(f"SUPPORTER_CALL_HOURS: {exc}") from None


def _office_hours(text: str) -> str:
    if text.strip().lower() not in ("data", "always"):
        raise ConfigError(f"OFFICE_HOURS: {text!r} must be 'data' or 'always'")
    return text.strip().lower()


def _voices(text: str) -> dict[str, Voice]:
    try:
        return parse_voices(text)
    except ValueError as exc:
        raise ConfigError(f"SAY_VOICES: {exc}") from None


def check_startup(config: Mapping[str, object]) -> None:
    """Refuse settings that would strand every call: raise ConfigError saying which and why."""
    twilio = bool(config.get("TWILIO_ACCOUNT_SID") and config.get("TWILIO_AUTH_TOKEN"))
    if twilio and not config.get("PUBLIC_BASE_URL"):
        raise ConfigError(
            "Twilio is configured but PUBLIC_BASE_URL is not: Twilio could not reach the call's webhooks, "
            "so no call could be placed. Set PUBLIC_BASE_URL to the app's public https origin."
        )
    if config.get("APP_ENV") == "production" and not twilio and not config.get("PREVIEW_ONLY"):
        raise ConfigError(
            "APP_ENV=production without TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN would show supporters only "
            "the preview, and no phone would ring. Set them, or set PREVIEW_ONLY=1 if that is intended."
        )


def load_config(env: Mapping[str, str] | None = None) -> dict:
    """Build the Flask config mapping from environment variables."""
    env = os.environ if env is None else env
    app_env = env.get("APP_ENV", "development").strip().lower()
    production = app_env == "production"
    if production:
        missing = [name for name in REQUIRED_IN_PRODUCTION if not env.get(name)]
        if missing:
            raise ConfigError("APP_ENV=production needs these settings: " + ", ".join(missing))

    def secret(name: str) -> str:
        return env.get(name) or _local_secret(name.lower())

    return {
        "APP_ENV": app_env,
        "SECRET_KEY": secret("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": database_url(env.get("DATABASE_URL")),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PUBLIC_BASE_URL": (env.get("PUBLIC_BASE_URL") or "").rstrip("/"),
        # Proxies in front of the app that append to X-Forwarded-For. 0 for a local run: trusting a
        # header no proxy wrote would let anyone pick their own address past the limits and blocklist.
        "PROXY_HOPS": int(env.get("PROXY_HOPS") or "0"),
        # Production without Twilio offers only the in-browser preview; it refuses to start unless this says so.
        "PREVIEW_ONLY": _flag(env.get("PREVIEW_ONLY"), False),
        "TWILIO_ACCOUNT_SID": env.get("TWILIO_ACCOUNT_SID", ""),
        "TWILIO_AUTH_TOKEN": env.get("TWILIO_AUTH_TOKEN", ""),
        "TWILIO_CALLER_ID": env.get("TWILIO_CALLER_ID", ""),
        # Calls per second the dialer hands to Twilio, all processes together: the account's CPS (1 by default).
        "TWILIO_CPS": float(env.get("TWILIO_CPS") or "1"),
        "TWILIO_API_BASE_URL": (env.get("TWILIO_API_BASE_URL") or "").rstrip("/"),
        "DATA_DIR": env.get("DATA_DIR") or default_data_dir(),
        "REDIS_URL": env.get("REDIS_URL", ""),
        # thread: a dialer thread in each web process; rq: RQ workers (`flask dialer worker`) on REDIS_URL.
        "DIALER_MODE": env.get("DIALER_MODE") or "thread",
        # Seconds between the dialer thread's passes over due calls (it is also woken by each new call).
        "DIALER_INTERVAL": float(env.get("DIALER_INTERVAL") or "2"),
        # Sweep threads beside each RQ worker (`flask dialer worker`): Twilio takes a few hundred ms to
        # accept a call, so one thread places at most ~2.5 calls a second whatever TWILIO_CPS allows.
        "DIALER_THREADS": int(env.get("DIALER_THREADS") or "4"),
        # Retries of a transient Twilio failure: at most this many tries, backing off exponentially
        # from BASE to MAX seconds, and none after GIVE_UP_AFTER seconds from the supporter's request.
        "DIALER_MAX_ATTEMPTS": int(env.get("DIALER_MAX_ATTEMPTS") or "6"),
        "DIALER_BACKOFF_BASE": float(env.get("DIALER_BACKOFF_BASE") or "2"),
        "DIALER_BACKOFF_MAX": float(env.get("DIALER_BACKOFF_MAX") or "60"),
        "DIALER_GIVE_UP_AFTER": float(env.get("DIALER_GIVE_UP_AFTER") or "600"),
        # Seconds after which a call still waiting for its final status is checked with Twilio's REST API.
        "DIALER_RECONCILE_AFTER": float(env.get("DIALER_RECONCILE_AFTER") or "3600"),
        # Seconds the supporter's phone rings before Twilio gives up.
        "DIALER_RING_TIMEOUT": int(env.get("DIALER_RING_TIMEOUT") or "30"),
        "CENSUS_GEOCODER_URL": env.get("CENSUS_GEOCODER_URL", "https://geocoding.geo.census.gov/geocoder").rstrip("/"),
        "CENSUS_GEOCODER_TIMEOUT": float(env.get("CENSUS_GEOCODER_TIMEOUT", "3")),
        # Static URLs carry a hash of the file's content, so browsers may keep the files a year.
        "SEND_FILE_MAX_AGE_DEFAULT": int(env.get("STATIC_MAX_AGE") or 31536000),
        "OPENSTATES_PEOPLE_URL": env.get("OPENSTATES_PEOPLE_URL") or OPENSTATES_PEOPLE_URL,
        "CENSUS_REL_URL_SLDU": env.get("CENSUS_REL_URL_SLDU") or CENSUS_REL_URL_SLDU,
        "CENSUS_REL_URL_SLDL": env.get("CENSUS_REL_URL_SLDL") or CENSUS_REL_URL_SLDL,
        "DATA_REFRESH_TIMEOUT": float(env.get("DATA_REFRESH_TIMEOUT") or "30"),
        # Countries whose phone numbers supporters may give, comma-separated ISO codes; the first is
        # the one numbers typed without a +country code are read in. The dialer refuses any other.
        "ALLOWED_COUNTRIES": env.get("ALLOWED_COUNTRIES") or "US",
        # When a supporter's phone may ring, in their own time zone (from the number): "08:00-21:00", or
        # "always". A request outside it is dialed the next morning; a campaign may set its own.
        "SUPPORTER_CALL_HOURS": str(_call_hours(env.get("SUPPORTER_CALL_HOURS") or "08:00-21:00")),
        # Whether offices keep hours: "data" (each office's hours from the state's data settings, a campaign's
        # holidays: outside them the page offers to call when they open) or "always" (every office counts as open).
        "OFFICE_HOURS": _office_hours(env.get("OFFICE_HOURS") or "data"),
        # The <Say> language and voice of each language's calls: "es=es-US:Polly.Lupe,pt_BR=pt-BR:Polly.Camila"
        # (those and en=en-US:Polly.Joanna are the defaults; a campaign's own voice speaks its own language).
        "SAY_VOICES": _voices(env.get("SAY_VOICES") or ""),
        # Seconds the dialer waits for Twilio's REST API before treating the request's outcome as unknown.
        "TWILIO_TIMEOUT": float(env.get("TWILIO_TIMEOUT") or "10"),
        # Rate limits, in the limits library's syntax ("10 per hour", "3/day"). Stored in Redis when
        # REDIS_URL is set, so they hold across gunicorn workers and dynos; in memory otherwise.
        # Calls one client address (an IPv6 client by its /64) may start.
        "RATE_LIMIT_PER_IP": env.get("RATE_LIMIT_PER_IP") or "10 per hour",
        # Forms one address may send, mistakes and district questions included: keeps lookups cheap.
        "RATE_LIMIT_FORMS_PER_IP": env.get("RATE_LIMIT_FORMS_PER_IP") or "100 per hour",
        "RATE_LIMIT_PER_NUMBER": env.get("RATE_LIMIT_PER_NUMBER") or "3 per day",
        # Calls one number may start across every campaign together.
        "RATE_LIMIT_PER_NUMBER_ALL": env.get("RATE_LIMIT_PER_NUMBER_ALL") or "10 per day",
        # Requests one API token may make (every route of /api/v1); it stands in for the per-address limit,
        # since a partner's server sends many supporters' calls from one address.
        "RATE_LIMIT_API_PER_TOKEN": env.get("RATE_LIMIT_API_PER_TOKEN") or "600 per minute",
        "RATELIMIT_STORAGE_URI": env.get("REDIS_URL") or "memory://",
        # Other origins (scheme://host[:port]) whose pages may send state-changing JSON requests.
        "ALLOWED_ORIGINS": env.get("ALLOWED_ORIGINS", ""),
        # Optional CAPTCHA on the form: "turnstile" or "hcaptcha", with both keys; off when any is empty.
        "CAPTCHA_PROVIDER": (env.get("CAPTCHA_PROVIDER") or "").strip().lower(),
        "CAPTCHA_SITE_KEY": env.get("CAPTCHA_SITE_KEY", ""),
        "CAPTCHA_SECRET_KEY": env.get("CAPTCHA_SECRET_KEY", ""),
        # The provider's siteverify URL; empty means the provider's own.
        "CAPTCHA_VERIFY_URL": env.get("CAPTCHA_VERIFY_URL", ""),
        "CAPTCHA_TIMEOUT": float(env.get("CAPTCHA_TIMEOUT") or "5"),
        # The console: how long a sign-in lasts, and failed sign-ins allowed per account and per client address.
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=float(env.get("CONSOLE_SESSION_HOURS") or "12")),
        "CONSOLE_SIGN_IN_LIMIT_PER_ACCOUNT": env.get("CONSOLE_SIGN_IN_LIMIT_PER_ACCOUNT") or "10 per hour",
        "CONSOLE_SIGN_IN_LIMIT_PER_IP": env.get("CONSOLE_SIGN_IN_LIMIT_PER_IP") or "30 per hour",
        # Seconds between the results page's refreshes while it is open.
        "CONSOLE_REFRESH_SECONDS": float(env.get("CONSOLE_REFRESH_SECONDS") or "10"),
        "PHONE_HASH_KEY": secret("PHONE_HASH_KEY"),
        "PHONE_ENCRYPTION_KEY": secret("PHONE_ENCRYPTION_KEY"),
        "SESSION_COOKIE_SECURE": _flag(env.get("SESSION_COOKIE_SECURE"), production),
        # No request we serve (a form, a Twilio webhook) comes near this; a bigger one is refused with 413.
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
    }
