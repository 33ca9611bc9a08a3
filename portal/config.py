"""Settings from the environment, validated once at start."""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

ENVIRONMENTS = ("development", "production", "test")


class ConfigurationError(RuntimeError):
    """The portal cannot start with these settings; the message says why."""


@dataclass(frozen=True)
class Settings:
    """Everything the portal reads from its environment, after validation."""

    environment: str
    database_url: str
    secret_key: str
    debug: bool
    emergency_number: str
    instance_path: Path
    desk_phone: str = "0800 - 123 45 67"
    log_level: str = "INFO"
    log_format: str = "text"
    # Who may read /metrics: addresses and networks (ipaddress objects).
    metrics_allowed: tuple = (ipaddress.ip_network("127.0.0.1"), ipaddress.ip_network("::1"))
    cluster_max_homes: int = 150
    # Production: proxy hops whose X-Forwarded-* headers count; /readyz's outbox limits.
    trusted_proxies: int = 0
    ready_max_outbox: int = 5000
    ready_max_outbox_age: int = 900
    public_base_url: str = "http://127.0.0.1:5000"
    # Municipality codes (four digits) where the desk takes requests; empty: the whole
    # province of Groningen, as the region asked.
    served_municipalities: frozenset[str] = frozenset()
    # Retention (portal.privacy.retention): how long personal data is kept.
    retention_months: int = 24
    sent_mail_retention_days: int = 90
    letter_retention_months: int = 84
    extra: dict = field(default_factory=dict)
    # Mail (portal.outbox): "smtp" sends through a server, "directory" writes .eml files.
    mail_backend: str = "directory"
    mail_from: str = "Opnameloket <noreply@opnameloket.example>"
    mail_directory: Path | None = None
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_starttls: bool = False

    @property
    def is_production(self) -> bool:
        """True when running as the production service."""
        return self.environment == "production"


def _secret_key(environment: str, instance_path: Path, environ: dict) -> str:
    """Return SECRET_KEY, or outside production a key generated once and kept per instance."""
    key = environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    if environment == "production":
        raise ConfigurationError(
            "SECRET_KEY is not set. In production the portal needs a long random secret "
            "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    # Sessions and CSRF tokens must survive a restart of a development server, so the
    # generated key is written once to the instance folder rather than made per process.
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def load_settings(instance_path: Path, environ: dict | None = None) -> Settings:
    """Read and validate the settings; raise ConfigurationError with the reason when unsafe."""
    environ = dict(os.environ if environ is None else environ)
    environment = environ.get("PORTAL_ENV", "development").strip().lower()
    if environment not in ENVIRONMENTS:
        raise ConfigurationError(
            f"PORTAL_ENV must be one of {', '.join(ENVIRONMENTS)}, not {environment!r}."
        )
    default_db = f"sqlite:///{instance_path / 'opnameloket.sqlite'}"
    database_url = environ.get("DATABASE_URL", "").strip() or default_db
    debug = environ.get("FLASK_DEBUG", "").strip().lower() in ("1", "true", "yes", "on")
    problems = []
    mail = _mail_settings(environment, instance_path, environ)
    if environment == "production":
        if not environ.get("SECRET_KEY", "").strip():
            problems.append("SECRET_KEY is not set")
        if debug:
            problems.append("debug mode is on (unset FLASK_DEBUG)")
        if database_url.startswith("sqlite"):
            problems.append("the database is SQLite (set DATABASE_URL to PostgreSQL)")
        if not environ.get("PUBLIC_BASE_URL", "").strip().startswith("https://"):
            problems.append("PUBLIC_BASE_URL is not an https:// address (links in emails "
                            "and letters point there)")
        if mail["mail_backend"] == "directory":
            problems.append("MAIL_BACKEND is directory: mail would never reach residents "
                            "(set MAIL_BACKEND=smtp)")
        if (mail["smtp_username"] and not mail["smtp_starttls"]
                and mail["smtp_host"] not in ("127.0.0.1", "::1", "localhost")):
            problems.append("SMTP_USERNAME is set without SMTP_STARTTLS=1: the password "
                            "would cross the network unencrypted")
    if problems:
        raise ConfigurationError(
            "The portal refuses to start in production: " + "; ".join(problems) + "."
        )
    return Settings(
        environment=environment,
        database_url=normalise_database_url(database_url),
        secret_key=_secret_key(environment, instance_path, environ),
        debug=debug,
        emergency_number=environ.get("EMERGENCY_NUMBER", "").strip() or "112",
        desk_phone=environ.get("DESK_PHONE", "").strip() or Settings.desk_phone,
        log_level=_log_level(environ),
        log_format=_choice(environ, "LOG_FORMAT", LOG_FORMATS),
        metrics_allowed=_networks(environ, "METRICS_ALLOWED", "127.0.0.1,::1"),
        cluster_max_homes=_positive_int(environ, "CLUSTER_MAX_HOMES", 150),
        trusted_proxies=_trusted_proxies(environ),
        ready_max_outbox=_positive_int(environ, "READY_MAX_OUTBOX", 5000),
        ready_max_outbox_age=_positive_int(environ, "READY_MAX_OUTBOX_AGE", 900),
        public_base_url=environ.get("PUBLIC_BASE_URL", "").strip().rstrip("/")
        or f"http://127.0.0.1:{environ.get('PORT', '5000')}",
        instance_path=instance_path,
        served_municipalities=_municipality_codes(environ, "SERVED_MUNICIPALITIES"),
        retention_months=_positive_int(environ, "RETENTION_MONTHS", 24),
        sent_mail_retention_days=_positive_int(environ, "SENT_MAIL_RETENTION_DAYS", 90),
        letter_retention_months=_positive_int(environ, "LETTER_RETENTION_MONTHS", 84),
        **mail,
    )


MAIL_BACKENDS = ("smtp", "directory")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
MAX_TRUSTED_PROXIES = 5

LOG_FORMATS = ("text", "json")


def _choice(environ: dict, name: str, choices: tuple[str, ...]) -> str:
    """One of choices (lower case), the first when unset."""
    value = environ.get(name, "").strip().lower() or choices[0]
    if value not in choices:
        raise ConfigurationError(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


def _networks(environ: dict, name: str, default: str) -> tuple:
    """IP addresses and CIDR networks from a comma-separated list."""
    text = environ.get(name, "").strip() or default
    try:
        return tuple(ipaddress.ip_network(item.strip(), strict=False)
                     for item in text.split(",") if item.strip())
    except ValueError as error:
        raise ConfigurationError(
            f"{name} must list IP addresses or networks such as 10.0.0.0/8: {error}.") from None


def _log_level(environ: dict) -> str:
    """LOG_LEVEL, one of LOG_LEVELS (default INFO)."""
    level = environ.get("LOG_LEVEL", "").strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        raise ConfigurationError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}.")
    return level


def _positive_int(environ: dict, name: str, default: int) -> int:
    """A whole number above zero from the environment, or the default."""
    text = environ.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise ConfigurationError(f"{name} must be a whole number above zero, not {text!r}.")
    return int(text)


def _trusted_proxies(environ: dict) -> int:
    """TRUSTED_PROXIES: how many proxies in front of the portal set X-Forwarded-* (0..5)."""
    text = environ.get("TRUSTED_PROXIES", "").strip() or "0"
    if not (text.isascii() and text.isdigit() and int(text) <= MAX_TRUSTED_PROXIES):
        raise ConfigurationError(
            f"TRUSTED_PROXIES must be a whole number from 0 to {MAX_TRUSTED_PROXIES} (the "
            f"proxies in front of the portal), not {text!r}.")
    return int(text)


def _municipality_codes(environ: dict, name: str) -> frozenset[str]:
    """Municipality codes from a comma-separated list (1979 or GM1979); empty when unset."""
    text = environ.get(name, "").strip()
    codes = set()
    for item in filter(None, (part.strip().upper() for part in text.split(","))):
        digits = item.removeprefix("GM")
        if not (digits.isascii() and digits.isdigit() and len(digits) <= 4):
            raise ConfigurationError(
                f"{name} must list municipality codes such as 1979 or GM1979, not {item!r}.")
        codes.add(digits.zfill(4))
    return frozenset(codes)


def _mail_settings(environment: str, instance_path: Path, environ: dict) -> dict:
    """Read the outbox's MAIL_* and SMTP_* variables; raise ConfigurationError when invalid."""
    default_backend = "smtp" if environment == "production" else "directory"
    backend = environ.get("MAIL_BACKEND", "").strip().lower() or default_backend
    if backend not in MAIL_BACKENDS:
        raise ConfigurationError(
            f"MAIL_BACKEND must be one of {', '.join(MAIL_BACKENDS)}, not {backend!r}."
        )
    port_text = environ.get("SMTP_PORT", "").strip() or "25"
    try:
        port = int(port_text)
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise ConfigurationError(f"SMTP_PORT must be a port number, not {port_text!r}.")
    starttls_text = environ.get("SMTP_STARTTLS", "").strip().lower() or "0"
    if starttls_text not in ("0", "1", "false", "true", "no", "yes", "off", "on"):
        raise ConfigurationError(f"SMTP_STARTTLS must be 0 or 1, not {starttls_text!r}.")
    directory = environ.get("MAIL_DIRECTORY", "").strip()
    return {
        "mail_backend": backend,
        "mail_from": environ.get("MAIL_FROM", "").strip()
        or "Opnameloket <noreply@opnameloket.example>",
        "mail_directory": Path(directory) if directory else instance_path / "mail",
        "smtp_host": environ.get("SMTP_HOST", "").strip() or "127.0.0.1",
        "smtp_port": port,
        "smtp_username": environ.get("SMTP_USERNAME", "").strip() or None,
        "smtp_password": environ.get("SMTP_PASSWORD") or None,
        "smtp_starttls": starttls_text in ("1", "true", "yes", "on"),
    }


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgres:// and postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
