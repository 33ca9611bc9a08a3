"""Settings: safe local defaults, and a production start refused with the reason."""

from __future__ import annotations

import pytest

from portal.app import create_app
from portal.config import ConfigurationError, load_settings


def test_development_defaults_to_sqlite_in_instance_folder_and_keeps_a_secret(tmp_path):
    first = load_settings(tmp_path, {})
    second = load_settings(tmp_path, {})

    assert first.environment == "development"
    assert first.database_url == f"sqlite:///{tmp_path / 'opnameloket.sqlite'}"
    assert len(first.secret_key) == 64
    assert second.secret_key == first.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_postgres_urls_use_psycopg3(tmp_path):
    settings = load_settings(tmp_path, {"DATABASE_URL": "postgres://u@h/db"})

    assert settings.database_url == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize(("environ", "reason"), [
    ({"DATABASE_URL": "postgresql://u@h/db"}, "SECRET_KEY is not set"),
    ({"SECRET_KEY": "x" * 64, "PUBLIC_BASE_URL": "http://plain.example"},
     "PUBLIC_BASE_URL is not an https"),
    ({"SECRET_KEY": "x" * 64}, "the database is SQLite"),
    ({"SECRET_KEY": "x" * 64, "DATABASE_URL": "postgresql://u@h/db", "FLASK_DEBUG": "1"},
     "debug mode is on"),
])
def test_production_refuses_unsafe_settings_and_says_why(tmp_path, environ, reason):
    with pytest.raises(ConfigurationError, match=reason):
        load_settings(tmp_path, {"PORTAL_ENV": "production", **environ})


def test_production_with_safe_settings_starts(tmp_path):
    app = create_app({"environ": {
        "PORTAL_ENV": "production", "SECRET_KEY": "x" * 64,
        "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/test",
        "PUBLIC_BASE_URL": "https://opnameloket.example"}})

    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_unknown_environment_is_refused(tmp_path):
    with pytest.raises(ConfigurationError, match="PORTAL_ENV must be one of"):
        load_settings(tmp_path, {"PORTAL_ENV": "staging"})


def test_trusted_proxies_and_readiness_limits_default_to_none_and_the_issue_limits(tmp_path):
    settings = load_settings(tmp_path, {})

    assert (settings.trusted_proxies, settings.ready_max_outbox,
            settings.ready_max_outbox_age) == (0, 5000, 900)
    assert load_settings(tmp_path, {"TRUSTED_PROXIES": "2"}).trusted_proxies == 2


@pytest.mark.parametrize("value", ["-1", "6", "one", "1.5", "²"])
def test_trusted_proxies_must_be_a_small_whole_number(tmp_path, value):
    with pytest.raises(ConfigurationError, match="TRUSTED_PROXIES must be a whole number"):
        load_settings(tmp_path, {"TRUSTED_PROXIES": value})


@pytest.mark.parametrize("name", ["READY_MAX_OUTBOX", "READY_MAX_OUTBOX_AGE"])
def test_readiness_limits_must_be_positive(tmp_path, name):
    with pytest.raises(ConfigurationError, match=name):
        load_settings(tmp_path, {name: "0"})
