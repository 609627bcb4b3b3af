"""Settings come from the environment; production refuses to start without its secrets."""

import pytest

from config import ConfigError, database_url, load_config


def test_paas_postgres_urls_are_rewritten():
    assert database_url("postgres://u:p@db.example.org:5432/app") == "postgresql://u:p@db.example.org:5432/app"
    assert database_url("postgresql://u@h/db") == "postgresql://u@h/db"


def test_no_database_url_means_sqlite_under_instance():
    assert database_url("").startswith("sqlite:///") and database_url("").endswith("instance/patchthrough.sqlite3")


def test_production_without_secrets_refuses_to_start():
    with pytest.raises(ConfigError) as error:
        load_config({"APP_ENV": "production", "DATABASE_URL": "postgres://h/db"})
    assert "SECRET_KEY" in str(error.value) and "PUBLIC_BASE_URL" in str(error.value)
    assert "DATABASE_URL" not in str(error.value)


def test_production_with_its_settings_starts_with_secure_cookies():
    env = {
        "APP_ENV": "production",
        "DATABASE_URL": "postgres://h/db",
        "SECRET_KEY": "s" * 40,
        "PUBLIC_BASE_URL": "https://calls.example.org/",
        "PHONE_HASH_KEY": "k" * 40,
        "PHONE_ENCRYPTION_KEY": "e" * 40,
        "TWILIO_API_BASE_URL": "http://127.0.0.1:9999/",
    }
    config = load_config(env)
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql://h/db"
    assert config["PUBLIC_BASE_URL"] == "https://calls.example.org"
    assert config["TWILIO_API_BASE_URL"] == "http://127.0.0.1:9999"
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SECRET_KEY"] == "s" * 40


def test_local_runs_generate_a_stable_secret_key():
    first = load_config({})["SECRET_KEY"]
    assert len(first) >= 32
    assert load_config({})["SECRET_KEY"] == first
