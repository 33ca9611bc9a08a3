"""Mail settings: safe defaults per environment, production refuses unsafe ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.config import ConfigurationError, load_settings
from portal.outbox import transport_for
from portal.outbox.transports import DirectoryTransport, SmtpTransport

PRODUCTION = {"PORTAL_ENV": "production", "SECRET_KEY": "x" * 64,
              "DATABASE_URL": "postgresql://u@h/db",
              "PUBLIC_BASE_URL": "https://opnameloket.example"}


def test_development_writes_mail_to_the_instance_folder(tmp_path):
    settings = load_settings(tmp_path, {})

    assert (settings.mail_backend, settings.mail_directory) == ("directory", tmp_path / "mail")
    assert settings.mail_from == "Opnameloket <noreply@opnameloket.example>"


def test_production_sends_through_smtp_by_default(tmp_path):
    settings = load_settings(tmp_path, PRODUCTION)

    assert (settings.mail_backend, settings.smtp_host, settings.smtp_port,
            settings.smtp_starttls) == ("smtp", "127.0.0.1", 25, False)


def test_smtp_variables_are_read(tmp_path):
    settings = load_settings(tmp_path, {
        **PRODUCTION, "SMTP_HOST": "mail.example.org", "SMTP_PORT": "587",
        "SMTP_USERNAME": "loket", "SMTP_PASSWORD": "geheim", "SMTP_STARTTLS": "1",
        "MAIL_FROM": "Loket <loket@example.org>"})

    assert (settings.smtp_host, settings.smtp_port, settings.smtp_username,
            settings.smtp_password, settings.smtp_starttls, settings.mail_from) == (
        "mail.example.org", 587, "loket", "geheim", True, "Loket <loket@example.org>")
    assert "geheim" not in repr(settings)


@pytest.mark.parametrize(("environ", "reason"), [
    ({"MAIL_BACKEND": "directory"}, "MAIL_BACKEND is directory"),
    ({"SMTP_HOST": "mail.example.org", "SMTP_USERNAME": "loket"}, "without SMTP_STARTTLS=1"),
])
def test_production_refuses_unsafe_mail_settings(tmp_path, environ, reason):
    with pytest.raises(ConfigurationError, match=reason):
        load_settings(tmp_path, {**PRODUCTION, **environ})


@pytest.mark.parametrize(("environ", "reason"), [
    ({"MAIL_BACKEND": "pigeon"}, "MAIL_BACKEND must be one of"),
    ({"SMTP_PORT": "smtp"}, "SMTP_PORT must be a port number"),
    ({"SMTP_PORT": "70000"}, "SMTP_PORT must be a port number"),
    ({"SMTP_STARTTLS": "maybe"}, "SMTP_STARTTLS must be 0 or 1"),
])
def test_invalid_mail_settings_are_refused_in_any_environment(tmp_path, environ, reason):
    with pytest.raises(ConfigurationError, match=reason):
        load_settings(tmp_path, environ)


def test_init_app_gives_the_worker_the_configured_transport(make_mail_app, tmp_path):
    directory_app = make_mail_app(MAIL_BACKEND="directory", MAIL_DIRECTORY=str(tmp_path))
    smtp_app = make_mail_app(MAIL_BACKEND="smtp", SMTP_HOST="mail.example.org",
                             SMTP_PORT="2525", MAIL_FROM="Loket <loket@example.org>")

    directory = transport_for(directory_app)
    smtp = transport_for(smtp_app)

    assert isinstance(directory, DirectoryTransport)
    assert directory.path == Path(tmp_path)
    assert isinstance(smtp, SmtpTransport)
    assert (smtp.host, smtp.port, smtp.sender) == (
        "mail.example.org", 2525, "Loket <loket@example.org>")
