"""Which phone numbers the service will ever dial: one set of rules for the form, the dialer and the targets."""

from phones.rules import Allowed, Refused, classify, classify_target, parse_allowed_countries, to_e164

__all__ = ["Allowed", "Refused", "classify", "classify_target", "parse_allowed_countries", "to_e164"]
