"""Helpers the tests share: settings, row factories, signed webhooks, and stand-ins for Twilio, Census and
PostgreSQL."""
