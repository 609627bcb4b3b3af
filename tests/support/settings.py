"""Settings and Twilio account values every test uses; conftest.py builds its fixtures from them."""

from __future__ import annotations

import os

PUBLIC_BASE_URL = "https://patchthrough.example.org"
PHONE_HASH_KEY = "test-phone-hash-key"
PHONE_ENCRYPTION_KEY = "test-phone-encryption-key"

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
    "PHONE_HASH_KEY": PHONE_HASH_KEY,
    "PHONE_ENCRYPTION_KEY": PHONE_ENCRYPTION_KEY,
    "TWILIO_ACCOUNT_SID": "",
    "TWILIO_AUTH_TOKEN": "",
    "TWILIO_CALLER_ID": "",
    "TWILIO_API_BASE_URL": "",
    "REDIS_URL": "",
    # Unpaced, so tests that dial several calls don't wait; the pacing tests set their own.
    "TWILIO_CPS": 1000.0,
    "PROXY_HOPS": 1,
    # Most tests post forms without a token; test_security_headers.py and test_form_protection.py turn CSRF on.
    "WTF_CSRF_ENABLED": False,
    "ALLOWED_COUNTRIES": "US",
    # Tests run at any hour: supporters may be rung at any hour unless a test sets the hours and the clock.
    "SUPPORTER_CALL_HOURS": "always",
    # Likewise every office counts as open, unless a test sets office hours (tests/test_office_hours.py).
    "OFFICE_HOURS": "always",
    "RATE_LIMIT_PER_IP": "10 per hour",
    "RATE_LIMIT_PER_NUMBER": "3 per day",
    "RATE_LIMIT_PER_NUMBER_ALL": "10 per day",
    "RATELIMIT_STORAGE_URI": "memory://",
    "ALLOWED_ORIGINS": "",
    "CAPTCHA_PROVIDER": "",
    "CAPTCHA_SITE_KEY": "",
    "CAPTCHA_SECRET_KEY": "",
    "CAPTCHA_VERIFY_URL": "",
}

# The one Twilio account the tests use: the REST stand-in, the app and the simulator all share it.
TWILIO_SID = "AC" + "0123456789abcdef" * 2
TWILIO_TOKEN = "test-auth-token-0123456789"
CAMPAIGN_NUMBER = "+16175397340"

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
